// The asmvs-checks-json document: the native output of the built-in scanners (format documented in
// src/scanners/README.md). Serialised once; when it exceeds the byte cap, banners go first, then whole entries,
// and `truncated` says so: the document stays valid JSON.
import type { Check, CheckRun } from '../checks/check.ts';
import type { ServiceResult } from '../scanner.ts';

export const CHECKS_FORMAT = 'asmvs-checks-json';
export const CHECKS_SCHEMA = 'asmvs-checks/1';

export interface ChecksDocument {
  readonly schema: typeof CHECKS_SCHEMA;
  readonly scanner: { readonly name: string; readonly version: string };
  readonly target: string;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly complete: boolean;
  readonly truncated: boolean;
  readonly hosts: readonly {
    readonly address: string;
    readonly hostname: string | null;
    readonly portsScanned: number;
    /** The TCP ports probed, as nmap writes them (22,80,8000-8100): what a rescan may resolve findings on. */
    readonly ports: string;
    readonly openPorts: readonly number[];
    readonly filteredPorts: number;
  }[];
  readonly services: readonly ServiceResult[];
  readonly checks: readonly Check[];
  readonly checksRun: readonly CheckRun[];
}

export function serializeChecks(doc: ChecksDocument, maxBytes: number): { payload: Buffer; truncated: boolean } {
  let current = doc;
  let payload = Buffer.from(JSON.stringify(current));
  if (payload.length <= maxBytes) return { payload, truncated: false };
  current = { ...current, truncated: true, services: current.services.map((s) => ({ ...s, banner: null })) };
  payload = Buffer.from(JSON.stringify(current));
  while (
    payload.length > maxBytes &&
    (current.services.length > 0 || current.checks.length > 0 || current.checksRun.length > 0)
  ) {
    current = {
      ...current,
      checksRun: current.checksRun.slice(0, Math.floor(current.checksRun.length / 2)),
      services: current.services.slice(0, Math.floor(current.services.length / 2)),
      checks:
        current.checksRun.length === 0 && current.services.length === 0
          ? current.checks.slice(0, Math.floor(current.checks.length / 2))
          : current.checks,
    };
    payload = Buffer.from(JSON.stringify(current));
  }
  return { payload, truncated: true };
}
