// The BUILTIN scan engine: runs a scan job's scanners against the address the trigger admitted, one output each.
import type { ScannerOutput } from '../scanners/scanner.ts';
import type { ScanJob } from '../schemas/types.gen.ts';
import { getScanner, runScanner, type ScanContext } from '../scanners/index.ts';
import { narrowPolicy } from '../scanners/scope/policy.ts';
import { profilePorts } from './profiles.ts';

export function builtinScan(context: (signal: AbortSignal) => ScanContext) {
  return async function* runBuiltin(job: ScanJob, signal: AbortSignal): AsyncIterable<ScannerOutput> {
    const base = context(signal);
    const ctx = { ...base, policy: narrowPolicy(base.policy, job.scope) };
    // The address was resolved once by the trigger; scanning it (not the name again) keeps DNS rebinding out.
    const target = job.address ?? job.target;
    const ports = job.ports.length > 0 ? job.ports : profilePorts(job.profile);
    for (const name of job.scanners) {
      // The services discovery identified come with the job: the scanners use them rather than probe again.
      const input = {
        target,
        ports,
        scope: job.scope,
        hostname: job.address ? job.hostname : null,
        services: job.services,
      };
      yield await runScanner(getScanner(name), input, ctx);
    }
  };
}
