// The built-in network scanners share one shape: scope-check and resolve the target, then scan each host.
// They differ only in how far they go (ports; ports + identification; ports + identification + checks).
import { AsmvsError } from '../../errors.ts';
import type { Check, CheckRun } from '../checks/check.ts';
import type { ScanContext, ScanInput, ScannerRun, Scanner, ServiceResult } from '../scanner.ts';
import { formatAddress, parseAddress } from '../scope/address.ts';
import { narrowPolicy, type ScopePolicy } from '../scope/policy.ts';
import { parseTarget } from '../scope/target.ts';
import { parsePorts } from '../scope/ports.ts';
import { checkReachedAddress, scopeTarget, type ScopedTarget } from '../scope/resolve.ts';
import { formatPorts } from '../../port-ranges.ts';
import { CHECKS_FORMAT, CHECKS_SCHEMA, serializeChecks, type ChecksDocument } from './checks-document.ts';
import { scanHost } from './scan-host.ts';

export const BUILTIN_VERSION = '0.1.0';

export interface BuiltinOptions {
  readonly name: string;
  readonly identify: boolean;
  readonly checks: boolean;
  readonly defaultPorts: string;
  readonly concurrency: number;
  readonly defaultTimeoutMs: number;
  readonly maxOutputBytes: number;
  readonly bannerWaitMs?: number;
}

/** The target's hosts; an address reached through a name keeps the name (for scope, SNI and Host headers). */
async function scopeInput(policy: ScopePolicy, input: ScanInput, ctx: ScanContext): Promise<ScopedTarget> {
  const address = input.hostname ? parseAddress(input.target) : null;
  if (!address || !input.hostname) return scopeTarget(policy, input.target, ctx.resolver, ctx.signal);
  await checkReachedAddress(policy, address, input.hostname, ctx.resolver, ctx.signal);
  return {
    target: parseTarget(input.target),
    hosts: [{ address: formatAddress(address), family: address.family, hostname: input.hostname }],
  };
}

export function builtinScanner(o: BuiltinOptions): Scanner {
  return {
    name: o.name,
    format: CHECKS_FORMAT,
    targetKind: 'network',
    concurrency: o.concurrency,
    defaultTimeoutMs: o.defaultTimeoutMs,
    maxOutputBytes: o.maxOutputBytes,
    async run(input: ScanInput, ctx: ScanContext): Promise<ScannerRun> {
      const startedAt = Date.now();
      const policy = narrowPolicy(ctx.policy, input.scope);
      const scoped = await scopeInput(policy, input, ctx);
      const ports =
        scoped.port !== undefined && input.ports === undefined
          ? [scoped.port]
          : parsePorts(input.ports ?? o.defaultPorts);
      if (ctx.signal.aborted) throw new AsmvsError('ABORTED', `${o.name} was aborted`);
      const probed = formatPorts(ports);
      const services: ServiceResult[] = [];
      const checks: Check[] = [];
      const runs: CheckRun[] = [];
      const hosts: ChecksDocument['hosts'][number][] = [];
      for (const host of scoped.hosts) {
        const scan = await scanHost(host, {
          io: ctx.io,
          signal: ctx.signal,
          ports,
          identify: o.identify,
          checks: o.checks,
          bannerWaitMs: o.bannerWaitMs,
          ...(input.services && scoped.hosts.length === 1 ? { known: input.services } : {}),
        });
        services.push(...scan.services);
        checks.push(...scan.checks);
        runs.push(...scan.runs);
        hosts.push({
          address: host.address,
          hostname: host.hostname,
          portsScanned: ports.length,
          ports: probed,
          openPorts: scan.portScan.open,
          filteredPorts: scan.portScan.filtered.length,
        });
      }
      const finishedAt = Date.now();
      const doc: ChecksDocument = {
        schema: CHECKS_SCHEMA,
        scanner: { name: o.name, version: BUILTIN_VERSION },
        target: input.target,
        startedAt: new Date(startedAt).toISOString(),
        finishedAt: new Date(finishedAt).toISOString(),
        complete: true,
        truncated: false,
        hosts,
        services,
        checks,
        checksRun: runs,
      };
      const { payload, truncated } = serializeChecks(doc, o.maxOutputBytes);
      return {
        scanner: { name: o.name, version: BUILTIN_VERSION },
        format: CHECKS_FORMAT,
        payload,
        truncated,
        complete: true,
        services,
        checks,
        startedAt,
        finishedAt,
      };
    },
  };
}
