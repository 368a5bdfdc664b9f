// The scope policy: the operator's allow/deny lists bound everything; a request's scope can only narrow them.
// Pure: decisions are made on canonical addresses and names, never on the text the request used. An IPv6 address
// that carries an IPv4 address (NAT64, 6to4, Teredo …: embedded-ipv4.ts) is refused when that IPv4 would be: the
// built-in ranges and the deny-lists judge both; the allow-lists admit by the address as written.
import { AsmvsError } from '../../errors.ts';
import { contains, covers, formatAddress, formatNetwork, networkSize, type Address, type Network } from './address.ts';
import { embeddedIPv4, embeddedIPv4Networks } from './embedded-ipv4.ts';
import { isUnder } from './hostname.ts';
import { parseList, type ScopeList, type ScopeRules } from './rules.ts';
import { METADATA_HOSTNAMES, METADATA_RANGES, UNSCANNABLE_RANGES } from './special-ranges.ts';

export type { ScopeList, ScopeRules } from './rules.ts';

export interface ScopePolicy {
  readonly operator: ScopeList;
  /** Present when the request narrowed the operator's scope. */
  readonly request?: ScopeList;
  readonly allowMetadata: boolean;
  readonly maxAddresses: number;
}

/** The operator's part of Config (config.scope). */
export interface OperatorScope {
  readonly allow: readonly string[];
  readonly deny: readonly string[];
  readonly allowMetadata: boolean;
  readonly maxAddresses: number;
}

export function operatorPolicy(scope: OperatorScope): ScopePolicy {
  const onBad = (entry: string) =>
    new AsmvsError(
      'CONFIG_INVALID',
      `invalid configuration:\n  SCOPE_ALLOW/SCOPE_DENY: ${JSON.stringify(entry)} is neither a CIDR nor a domain`,
    );
  return { operator: parseList(scope, onBad), allowMetadata: scope.allowMetadata, maxAddresses: scope.maxAddresses };
}

/** The operator's policy narrowed by a request's scope (null: the operator's alone). */
export function narrowPolicy(
  policy: ScopePolicy,
  scope: { allow: readonly string[]; deny: readonly string[] } | null | undefined,
): ScopePolicy {
  if (!scope) return policy;
  const onBad = (entry: string) =>
    new AsmvsError(
      'TARGET_INVALID',
      `invalid request scope entry ${JSON.stringify(entry)}: neither a CIDR nor a domain`,
    );
  return { ...policy, request: parseList(scope, onBad) };
}

function outOfScope(what: string, reason: string): AsmvsError {
  return new AsmvsError('TARGET_OUT_OF_SCOPE', `${what} is out of scope: ${reason}`, { details: { reason } });
}

function lists(policy: ScopePolicy): [ScopeList, string][] {
  return policy.request
    ? [
        [policy.operator, 'operator'],
        [policy.request, 'request'],
      ]
    : [[policy.operator, 'operator']];
}

function nameMatches(rules: ScopeRules, name: string | undefined): boolean {
  return name !== undefined && rules.domains.some((d) => isUnder(name, d));
}

/** What every address is refused for, whatever the lists say (`reserved` false: the metadata rule alone). */
function builtInRefusal(policy: ScopePolicy, address: Address, reserved = true): string | null {
  if (reserved && UNSCANNABLE_RANGES.some((n) => contains(n, address)))
    return 'unspecified, multicast or reserved address';
  if (!policy.allowMetadata && METADATA_RANGES.some((n) => contains(n, address)))
    return 'cloud-metadata or link-local address (allowed only with SCOPE_ALLOW_METADATA)';
  return null;
}

function denyRefusal(policy: ScopePolicy, address: Address, name?: string): string | null {
  for (const [list, whose] of lists(policy))
    if (list.deny.networks.some((n) => contains(n, address)) || nameMatches(list.deny, name))
      return `denied by the ${whose} deny-list`;
  return null;
}

function allowRefusal(policy: ScopePolicy, address: Address, name?: string): string | null {
  for (const [list, whose] of lists(policy)) {
    const { networks, domains } = list.allow;
    if (networks.length === 0 && domains.length === 0) continue;
    if (!networks.some((n) => contains(n, address)) && !nameMatches(list.allow, name))
      return `not in the ${whose} allow-list`;
  }
  return null;
}

/** Why the address may not be scanned, or null. Does not throw: a range's expansion asks for every address. */
export function addressRefusal(policy: ScopePolicy, address: Address, name?: string): string | null {
  const own = builtInRefusal(policy, address);
  if (own) return own;
  for (const inner of embeddedIPv4(address)) {
    const refusal = builtInRefusal(policy, inner.address, inner.certain) ?? denyRefusal(policy, inner.address);
    if (refusal) return `it carries ${formatAddress(inner.address)} (${inner.form}): ${refusal}`;
  }
  return denyRefusal(policy, address, name) ?? allowRefusal(policy, address, name);
}

/**
 * Throws TARGET_OUT_OF_SCOPE unless the address may be scanned. `name` is the hostname it was resolved from, if any:
 * a name under an allowed domain is allowed; a name under a denied domain is denied; the address itself is always
 * checked against the deny-lists and the built-in ranges.
 */
export function checkAddress(policy: ScopePolicy, address: Address, name?: string): void {
  const refusal = addressRefusal(policy, address, name);
  if (refusal) throw outOfScope(name ? `${name} (${formatAddress(address)})` : formatAddress(address), refusal);
}

export function isAddressAllowed(policy: ScopePolicy, address: Address, name?: string): boolean {
  return addressRefusal(policy, address, name) === null;
}

/**
 * Checks a hostname before it is resolved, so that a name no answer could bring into scope costs no DNS query: a
 * metadata name, a name under a denied domain, and a name outside an allow-list made of domains alone (where no
 * address can admit it).
 */
export function checkHostname(policy: ScopePolicy, name: string): void {
  if (!policy.allowMetadata && METADATA_HOSTNAMES.includes(name)) throw outOfScope(name, 'cloud-metadata hostname');
  for (const [list, whose] of lists(policy)) {
    if (nameMatches(list.deny, name)) throw outOfScope(name, `denied by the ${whose} deny-list`);
    const { networks, domains } = list.allow;
    if (networks.length === 0 && domains.length > 0 && !nameMatches(list.allow, name))
      throw outOfScope(name, `not in the ${whose} allow-list`);
  }
}

/** Why every address of the network is refused, or null: a built-in range or a deny-list covers it. */
function networkRefusal(policy: ScopePolicy, net: Network, reserved = true): string | null {
  if (reserved && UNSCANNABLE_RANGES.some((n) => covers(n, net))) return 'unspecified, multicast or reserved range';
  if (!policy.allowMetadata && METADATA_RANGES.some((n) => covers(n, net))) return 'cloud-metadata or link-local range';
  for (const [list, whose] of lists(policy))
    if (list.deny.networks.some((d) => covers(d, net))) return `denied by the ${whose} deny-list`;
  return null;
}

/**
 * Throws unless a CIDR may be expanded: its size is under the cap, it lies inside the allow-lists, and neither it
 * nor the IPv4 network its addresses carry is wholly refused. Addresses in it that are refused one by one (a
 * denied host, an embedded metadata address) are skipped by `isAddressAllowed` at expansion.
 */
export function checkNetwork(policy: ScopePolicy, net: Network): void {
  const what = formatNetwork(net);
  const size = networkSize(net);
  if (size > BigInt(policy.maxAddresses)) {
    throw new AsmvsError(
      'TARGET_TOO_LARGE',
      `${what} has ${size} addresses, more than the cap of ${policy.maxAddresses} (SCOPE_MAX_ADDRESSES)`,
      {
        details: { reason: 'network larger than SCOPE_MAX_ADDRESSES', size: String(size), cap: policy.maxAddresses },
      },
    );
  }
  const own = networkRefusal(policy, net);
  if (own) throw outOfScope(what, own);
  for (const inner of embeddedIPv4Networks(net)) {
    const refusal = networkRefusal(policy, inner.network, inner.certain);
    if (refusal)
      throw outOfScope(what, `its addresses carry ${formatNetwork(inner.network)} (${inner.form}): ${refusal}`);
  }
  for (const [list, whose] of lists(policy)) {
    if (list.allow.networks.length === 0 && list.allow.domains.length === 0) continue;
    if (!list.allow.networks.some((a) => covers(a, net))) throw outOfScope(what, `not inside the ${whose} allow-list`);
  }
}
