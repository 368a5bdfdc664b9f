// The scope policy: the operator's allow/deny lists bound everything; a request's scope can only narrow them.
// Pure: decisions are made on canonical addresses and names, never on the text the request used.
import { AsmvsError } from '../../errors.ts';
import {
  contains,
  covers,
  formatAddress,
  formatNetwork,
  networkSize,
  parseNetwork,
  type Address,
  type Network,
} from './address.ts';
import { canonicalHostname, isUnder } from './hostname.ts';
import { METADATA_HOSTNAMES, METADATA_RANGES, NAT64_PREFIX, UNSCANNABLE_RANGES } from './special-ranges.ts';

export interface ScopeRules {
  readonly networks: readonly Network[];
  readonly domains: readonly string[];
}

export interface ScopeList {
  readonly allow: ScopeRules;
  readonly deny: ScopeRules;
}

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

function parseRules(entries: readonly string[], onBad: (entry: string) => AsmvsError): ScopeRules {
  const networks: Network[] = [];
  const domains: string[] = [];
  for (const entry of entries) {
    const net = entry.includes(':') || /^[0-9.x/]+$/i.test(entry) ? parseNetwork(entry) : null;
    if (net) {
      networks.push(net);
      continue;
    }
    const domain = canonicalHostname(entry.replace(/^\*\./, ''));
    if (!domain || /^[0-9.]+$/.test(domain)) throw onBad(entry);
    domains.push(domain);
  }
  return { networks, domains };
}

function parseList(
  list: { allow: readonly string[]; deny: readonly string[] },
  onBad: (entry: string) => AsmvsError,
): ScopeList {
  return { allow: parseRules(list.allow, onBad), deny: parseRules(list.deny, onBad) };
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

function isEmpty(rules: ScopeRules): boolean {
  return rules.networks.length === 0 && rules.domains.length === 0;
}

function nameMatches(rules: ScopeRules, name: string | undefined): boolean {
  return name !== undefined && rules.domains.some((d) => isUnder(name, d));
}

/** The checks every address passes, whatever the lists say. */
function checkBuiltIn(policy: ScopePolicy, address: Address, what: string): void {
  if (UNSCANNABLE_RANGES.some((n) => contains(n, address)))
    throw outOfScope(what, 'unspecified, multicast or reserved address');
  const embedded = contains(NAT64_PREFIX, address)
    ? { family: 4 as const, value: address.value & 0xffffffffn }
    : undefined;
  const metadata = (a: Address) => METADATA_RANGES.some((n) => contains(n, a));
  if (!policy.allowMetadata && (metadata(address) || (embedded && metadata(embedded)))) {
    throw outOfScope(what, 'cloud-metadata or link-local address (allowed only with SCOPE_ALLOW_METADATA)');
  }
}

function checkList(list: ScopeList, address: Address, name: string | undefined, what: string, whose: string): void {
  if (list.deny.networks.some((n) => contains(n, address)) || nameMatches(list.deny, name))
    throw outOfScope(what, `denied by the ${whose} deny-list`);
  if (isEmpty(list.allow)) return;
  if (list.allow.networks.some((n) => contains(n, address)) || nameMatches(list.allow, name)) return;
  throw outOfScope(what, `not in the ${whose} allow-list`);
}

/**
 * Throws TARGET_OUT_OF_SCOPE unless the address may be scanned. `name` is the hostname it was resolved from, if any:
 * a name under an allowed domain is allowed; a name under a denied domain is denied; the address itself is always
 * checked against the deny-lists and the built-in ranges.
 */
export function checkAddress(policy: ScopePolicy, address: Address, name?: string): void {
  const what = name ? `${name} (${formatAddress(address)})` : formatAddress(address);
  checkBuiltIn(policy, address, what);
  checkList(policy.operator, address, name, what, 'operator');
  if (policy.request) checkList(policy.request, address, name, what, 'request');
}

/** Checks a hostname before it is resolved, so a denied or metadata name costs no DNS query. */
export function checkHostname(policy: ScopePolicy, name: string): void {
  if (!policy.allowMetadata && METADATA_HOSTNAMES.includes(name)) throw outOfScope(name, 'cloud-metadata hostname');
  for (const [list, whose] of [
    [policy.operator, 'operator'],
    [policy.request, 'request'],
  ] as const) {
    if (list && nameMatches(list.deny, name)) throw outOfScope(name, `denied by the ${whose} deny-list`);
  }
}

function checkNetworkList(list: ScopeList, net: Network, what: string, whose: string): void {
  if (list.deny.networks.some((d) => covers(d, net))) throw outOfScope(what, `denied by the ${whose} deny-list`);
  if (list.allow.networks.length === 0 && list.allow.domains.length === 0) return;
  if (!list.allow.networks.some((a) => covers(a, net))) throw outOfScope(what, `not inside the ${whose} allow-list`);
}

/**
 * Throws unless a CIDR may be expanded: its size is under the cap and it lies inside the allow-lists. Addresses in it
 * that are denied (deny-lists, metadata) are skipped one by one by `isAddressAllowed` at expansion.
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
  if (UNSCANNABLE_RANGES.some((n) => covers(n, net)))
    throw outOfScope(what, 'unspecified, multicast or reserved range');
  if (!policy.allowMetadata && METADATA_RANGES.some((n) => covers(n, net)))
    throw outOfScope(what, 'cloud-metadata or link-local range');
  checkNetworkList(policy.operator, net, what, 'operator');
  if (policy.request) checkNetworkList(policy.request, net, what, 'request');
}

export function isAddressAllowed(policy: ScopePolicy, address: Address, name?: string): boolean {
  try {
    checkAddress(policy, address, name);
    return true;
  } catch {
    return false;
  }
}
