// The next addresses of a range unit, from a cursor, for at most `budget` host items (pure). Addresses the policy
// refuses one by one (a denied host inside an allowed CIDR, a metadata address) are skipped and count as examined.
import { formatAddress } from '../scanners/scope/address.ts';
import { isAddressAllowed, type ScopePolicy } from '../scanners/scope/policy.ts';
import type { Cursor, ExpansionUnit } from './expansion-plan.ts';

export interface RangeStep {
  readonly addresses: string[];
  /** Where the next chunk starts; `unit` advances when the range is exhausted. */
  readonly cursor: Cursor;
  readonly skipped: number;
}

// A chunk examines at most this many addresses however few are allowed, so that one attempt stays short even
// in a mostly-denied /8.
const MAX_EXAMINED = 1 << 20;

export function expandRange(
  unit: Extract<ExpansionUnit, { kind: 'range' }>,
  cursor: Cursor,
  budget: number,
  policy: ScopePolicy,
): RangeStep {
  const addresses: string[] = [];
  let skipped = 0;
  let offset = cursor.offset;
  const size = unit.last - unit.first + 1n;
  for (let examined = 0; offset < size && addresses.length < budget && examined < MAX_EXAMINED; examined++) {
    const address = { family: unit.family, value: unit.first + offset };
    offset += 1n;
    if (isAddressAllowed(policy, address)) addresses.push(formatAddress(address));
    else skipped += 1;
  }
  return {
    addresses,
    skipped,
    cursor: offset >= size ? { unit: cursor.unit + 1, offset: 0n } : { unit: cursor.unit, offset },
  };
}
