// The one check every door runs before it sends or starts anything: the one-shot scan, `scan --submit`, `discover`
// and `monitor add` call it, so they refuse the same requests for the same reasons (exit 2), with no DNS query, no
// packet and nothing produced. Arguments first (profile, ports), then the scope: a request scope that does not
// parse, a literal target the policy refuses, a range whose every address is refused, a name no answer could bring
// into scope (metadata names, denied domains, names outside an allow-list of domains alone). Where a name resolves is
// judged later, by whoever resolves it (the one-shot scan once before it starts; asm_discovery, host_scan and
// vs_scan_trigger again when they run).
import { planExpansion, START } from '../discovery/expansion-plan.ts';
import { expandRange } from '../discovery/expand-range.ts';
import { PROFILES } from '../engines/profiles.ts';
import { AsmvsError } from '../errors.ts';
import type { Scope } from '../schemas/types.gen.ts';
import { formatAddress } from '../scanners/scope/address.ts';
import { narrowPolicy, operatorPolicy, type OperatorScope, type ScopePolicy } from '../scanners/scope/policy.ts';
import { parsePorts } from '../scanners/scope/ports.ts';

/** A discovery request, a scan request, a monitor: what a door is about to send or run. */
export type RequestToCheck = ({ readonly targets: readonly string[] } | { readonly target: string }) & {
  readonly scope: Scope | null;
  readonly profile: string;
  /** A spec, a list (empty: the profile's) or null (the profile's). */
  readonly ports: string | readonly number[] | null;
};

/** Throws USAGE, CONFIG_INVALID or TARGET_* (all exit 2) for a request no stage would run; else its policy. */
export function checkRequest(operator: OperatorScope, request: RequestToCheck): ScopePolicy {
  if (!PROFILES.includes(request.profile))
    throw new AsmvsError(
      'USAGE',
      `unknown profile ${JSON.stringify(request.profile.slice(0, 40))} (known: ${PROFILES.join(', ')})`,
    );
  if (typeof request.ports === 'string' || (request.ports !== null && request.ports.length > 0))
    parsePorts(request.ports);
  const policy = narrowPolicy(operatorPolicy(operator), request.scope);
  const units = planExpansion('targets' in request ? request.targets : [request.target], policy);
  units.forEach((unit, i) => {
    if (unit.kind !== 'range') return;
    // The first address the policy admits ends the search: a range that is not wholly refused costs one step. A
    // range refused address by address (several deny entries, embedded metadata) is examined up to expandRange's
    // bound; past it, the stage's expansion skips what remains.
    const step = expandRange(unit, { ...START, unit: i }, 1, policy);
    if (step.addresses.length === 0 && step.cursor.unit !== i) {
      const range = `${formatAddress({ family: unit.family, value: unit.first })}-${formatAddress({ family: unit.family, value: unit.last })}`;
      throw new AsmvsError('TARGET_OUT_OF_SCOPE', `${range} is out of scope: every address in it is refused`, {
        details: { reason: 'every address refused' },
      });
    }
  });
  return policy;
}
