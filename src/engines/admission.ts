// Admits a scan request: parses and scope-checks its target and resolves it once. The address returned is what
// every scanner of the job connects to. Out of scope → TARGET_* (non-retryable), and no traffic.
import type { ScanRequest } from '../schemas/types.gen.ts';
import type { ScanContext } from '../scanners/index.ts';
import { narrowPolicy } from '../scanners/scope/policy.ts';
import { scopeTarget } from '../scanners/scope/resolve.ts';

export function admission(context: (signal: AbortSignal) => ScanContext) {
  return async function admit(request: ScanRequest, signal: AbortSignal): Promise<string> {
    const ctx = context(signal);
    const scoped = await scopeTarget(narrowPolicy(ctx.policy, request.scope), request.target, ctx.resolver, signal);
    const first = scoped.hosts[0];
    if (!first) throw new Error(`scopeTarget returned no host for ${request.target}`);
    return first.address;
  };
}
