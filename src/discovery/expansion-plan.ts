// What a discovery request expands into, decided before any DNS query or packet (pure): the literal addresses and
// CIDRs merged into disjoint ranges (so overlapping targets scan each address once), then the names in the order
// given. A literal target outside the scope, too large, or malformed refuses the whole request (TARGET_*); a name
// is judged by its name here (a metadata or denied name, or one outside an allow-list of domains alone, which no
// answer could admit: no DNS query is spent on it) and by what it resolves to when its turn comes.
import { AsmvsError } from '../errors.ts';
import { bits, network, networkSize, type Address, type Network } from '../scanners/scope/address.ts';
import { checkAddress, checkHostname, checkNetwork, type ScopePolicy } from '../scanners/scope/policy.ts';
import { parseTarget } from '../scanners/scope/target.ts';

export type ExpansionUnit =
  | { readonly kind: 'range'; readonly family: 4 | 6; readonly first: bigint; readonly last: bigint }
  | { readonly kind: 'name'; readonly name: string };

/** Where an expansion stands: the unit, and how far into a range (addresses examined). */
export interface Cursor {
  readonly unit: number;
  readonly offset: bigint;
}

export const START: Cursor = { unit: 0, offset: 0n };

export function planExpansion(targets: readonly string[], policy: ScopePolicy): ExpansionUnit[] {
  if (targets.length === 0) throw new AsmvsError('TARGET_INVALID', 'the request names no target');
  const networks: Network[] = [];
  const names: string[] = [];
  for (const input of targets) {
    const target = parseTarget(input);
    // A URL's host is expanded like an address or a name (its port is not: the request's ports are).
    const host: { address: Address } | { hostname: string } | { network: Network } =
      target.kind === 'url' ? target.host : target;
    if ('network' in host) {
      checkNetwork(policy, host.network);
      networks.push(host.network);
    } else if ('address' in host) {
      checkAddress(policy, host.address);
      networks.push(network(host.address, bits(host.address.family)));
    } else {
      checkHostname(policy, host.hostname);
      if (!names.includes(host.hostname)) names.push(host.hostname);
    }
  }
  const ranges = mergeRanges(networks);
  // The cap bounds a request, not one CIDR: ten /16s are as much work as one /12 (and asm_progress's count).
  const total = ranges.reduce((n, r) => n + (r.kind === 'range' ? r.last - r.first + 1n : 0n), 0n);
  if (total > BigInt(policy.maxAddresses))
    throw new AsmvsError(
      'TARGET_TOO_LARGE',
      `the request's networks hold ${total} addresses together, more than the cap of ${policy.maxAddresses} (SCOPE_MAX_ADDRESSES)`,
      { details: { reason: 'request larger than SCOPE_MAX_ADDRESSES', size: String(total), cap: policy.maxAddresses } },
    );
  return [...ranges, ...names.map((name) => ({ kind: 'name' as const, name }))];
}

/** Disjoint, sorted ranges covering every network (IPv4 first); touching ranges join. */
export function mergeRanges(networks: readonly Network[]): ExpansionUnit[] {
  const ranges = networks
    .map((n) => ({ family: n.family, first: n.base, last: n.base + networkSize(n) - 1n }))
    .sort((a, b) => a.family - b.family || (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const merged: { family: 4 | 6; first: bigint; last: bigint }[] = [];
  for (const r of ranges) {
    const top = merged.at(-1);
    if (top && top.family === r.family && r.first <= top.last + 1n) {
      if (r.last > top.last) top.last = r.last;
    } else merged.push({ ...r });
  }
  return merged.map((r) => ({ kind: 'range', ...r }));
}
