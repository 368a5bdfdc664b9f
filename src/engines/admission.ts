// Admits a scan request: parses and scope-checks its target and resolves it once. The address returned is what
// every scanner of the job connects to. Out of scope → TARGET_* (non-retryable), and no traffic. An address reached
// through a name (request.hostname, from discovery) is admitted by that name's domain rules once the name is checked
// to still resolve to it.
import { AsmvsError } from '../errors.ts';
import type { ScanRequest } from '../schemas/types.gen.ts';
import type { ScanContext } from '../scanners/index.ts';
import { formatAddress, parseAddress } from '../scanners/scope/address.ts';
import { narrowPolicy } from '../scanners/scope/policy.ts';
import { checkReachedAddress, scopeTarget } from '../scanners/scope/resolve.ts';

export function admission(context: (signal: AbortSignal) => ScanContext) {
  return async function admit(request: ScanRequest, signal: AbortSignal): Promise<string> {
    const ctx = context(signal);
    const policy = narrowPolicy(ctx.policy, request.scope);
    const literal = request.hostname !== null ? parseAddress(request.target) : null;
    if (literal) {
      await checkReachedAddress(policy, literal, request.hostname, ctx.resolver, signal);
      return formatAddress(literal);
    }
    const scoped = await scopeTarget(policy, request.target, ctx.resolver, signal);
    const first = scoped.hosts[0];
    if (!first) throw new AsmvsError('TARGET_INVALID', `${request.target} names no host to scan`);
    return first.address;
  };
}
