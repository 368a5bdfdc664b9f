// The one scanner interface. A scanner scope-checks its own target before any packet, honours its context's
// AbortSignal, and returns its native output (format + payload bytes, for raw-findings) plus structured results.
import type { Service } from '../schemas/types.gen.ts';
import type { Check } from './checks/check.ts';
import type { ScannerIo } from './io/scanner-io.ts';
import type { ScopePolicy } from './scope/policy.ts';
import type { HostResolver } from './scope/resolve.ts';

export interface ScanInput {
  /** Address, CIDR, hostname or URL (network scanners), or an artifact reference (image, path) for artifact scanners. */
  readonly target: string;
  /** Port spec (top-100, 22,80,8000-8100, all) or a list; default: the scanner's own. */
  readonly ports?: string | readonly number[];
  /** The request's scope: narrows the operator's policy. */
  readonly scope?: { readonly allow: readonly string[]; readonly deny: readonly string[] } | null;
  /**
   * An address target reached through this name (discovery): the name's domain rules may admit the address once
   * the name is checked to still resolve to it (scope/resolve.ts checkReachedAddress).
   */
  readonly hostname?: string | null;
  /**
   * Services already identified on the target's one address (by discovery): scanners that identify use them as
   * they are for the ports still open, and probe only the others. Ignored when the target is several addresses.
   */
  readonly services?: readonly Service[];
}

export interface ScanContext {
  readonly policy: ScopePolicy;
  readonly resolver: HostResolver;
  readonly io: ScannerIo;
  readonly signal: AbortSignal;
  /** Overrides the scanner's default timeout for this run. */
  readonly timeoutMs?: number;
  /** The nmap binary (config.scanners.nmapPath). */
  readonly nmapPath?: string;
}

export interface ServiceResult extends Service {
  readonly host: string;
  readonly hostname: string | null;
}

/**
 * What a scanner reports, as raw-findings carries it: the tool, its native output verbatim, and when it ran. The one
 * type from scanner to raw event: the platform engine gives the same, and vs_result_fetcher wraps it unchanged.
 */
export interface ScannerOutput {
  readonly scanner: { readonly name: string; readonly version: string | null };
  /** nmap-xml, asmvs-checks-json, trivy-json, … : what vs_normalization dispatches on. */
  readonly format: string;
  /** The native output, verbatim. */
  readonly payload: Buffer;
  readonly truncated: boolean;
  /** The scan ran to the end (a finished rescan may resolve findings). */
  readonly complete: boolean;
  readonly startedAt: number;
  readonly finishedAt: number;
}

/** A scanner's run: its output, and what it found as structured results for callers in this process. */
export interface ScannerRun extends ScannerOutput {
  readonly services: readonly ServiceResult[];
  readonly checks: readonly Check[];
}

export interface Scanner {
  readonly name: string;
  readonly format: string;
  /** 'network': the target is scope-checked; 'artifact': an image, directory or lockfile, syntax-checked. */
  readonly targetKind: 'network' | 'artifact';
  /** Runs of this scanner at once in one process (p-limit). */
  readonly concurrency: number;
  readonly defaultTimeoutMs: number;
  readonly maxOutputBytes: number;
  run(input: ScanInput, ctx: ScanContext): Promise<ScannerRun>;
}
