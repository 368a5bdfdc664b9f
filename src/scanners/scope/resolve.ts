// Scope-checks a target and resolves it ONCE: the addresses returned here are what gets scanned, so a DNS answer
// that changes later (rebinding) cannot move a scan out of scope.
import { AsmvsError } from '../../errors.ts';
import { addressesOf, formatAddress, parseAddress, type Address } from './address.ts';
import { checkAddress, checkHostname, checkNetwork, isAddressAllowed, type ScopePolicy } from './policy.ts';
import { parseTarget, type Target } from './target.ts';

export interface HostResolver {
  /** Addresses for a name (A and AAAA); throws DNS_NOT_FOUND / DNS_FAILED. */
  resolveHost(name: string, signal?: AbortSignal): Promise<string[]>;
}

/** One address that passed the scope check; the only thing scanners connect to. */
export interface ScopedHost {
  readonly address: string;
  readonly family: 4 | 6;
  /** The name it was resolved from (for Host headers, SNI, reports), or null. */
  readonly hostname: string | null;
}

export interface ScopedTarget {
  readonly target: Target;
  readonly hosts: readonly ScopedHost[];
  /** For URL targets: the port and URL to probe. */
  readonly url?: URL;
  readonly port?: number;
}

function host(address: Address, hostname: string | null): ScopedHost {
  return { address: formatAddress(address), family: address.family, hostname };
}

/** Pure part: the scope decision for targets that need no DNS. Throws for hostnames. */
export function scopeLiteral(policy: ScopePolicy, target: Target): ScopedHost[] {
  if (target.kind === 'address') {
    checkAddress(policy, target.address);
    return [host(target.address, null)];
  }
  if (target.kind === 'network') {
    checkNetwork(policy, target.network);
    const hosts: ScopedHost[] = [];
    for (const a of addressesOf(target.network)) if (isAddressAllowed(policy, a)) hosts.push(host(a, null));
    if (hosts.length === 0)
      throw new AsmvsError('TARGET_OUT_OF_SCOPE', `${target.input} is out of scope: every address in it is denied`);
    return hosts;
  }
  if (target.kind === 'url' && 'address' in target.host) {
    checkAddress(policy, target.host.address);
    return [host(target.host.address, null)];
  }
  throw new AsmvsError('INTERNAL', 'scopeLiteral needs a literal target');
}

/** Parses, scope-checks and resolves a target. No packet is sent for a target that fails. */
export async function scopeTarget(
  policy: ScopePolicy,
  input: string,
  resolver: HostResolver,
  signal?: AbortSignal,
): Promise<ScopedTarget> {
  const target = parseTarget(input);
  const urlPart = target.kind === 'url' ? { url: target.url, port: target.port } : {};
  const name =
    target.kind === 'hostname'
      ? target.hostname
      : target.kind === 'url' && 'hostname' in target.host
        ? target.host.hostname
        : null;
  if (name === null) return { target, hosts: scopeLiteral(policy, target), ...urlPart };
  checkHostname(policy, name);
  const answers = await resolver.resolveHost(name, signal);
  const addresses = answers.map((a) => parseAddress(a)).filter((a): a is Address => a !== null);
  if (addresses.length === 0) throw new AsmvsError('DNS_NOT_FOUND', `${name} has no A or AAAA record`);
  // Every answer must pass: a name that resolves to one public and one metadata address is refused as a whole.
  for (const a of addresses) checkAddress(policy, a, name);
  return { target, hosts: addresses.map((a) => host(a, name)), ...urlPart };
}

/**
 * Scope-checks an address that was reached through a name (a host item, a scan request for a discovered asset).
 * An address the policy admits on its own needs no DNS. Otherwise the name's domain rules may admit it, but only
 * once the name is checked to still resolve to that address: a forged or stale name admits nothing. The name's own
 * deny rules always apply.
 */
export async function checkReachedAddress(
  policy: ScopePolicy,
  address: Address,
  name: string | null,
  resolver: HostResolver,
  signal?: AbortSignal,
): Promise<void> {
  if (name !== null) checkHostname(policy, name);
  if (name === null || isAddressAllowed(policy, address, undefined))
    return checkAddress(policy, address, name ?? undefined);
  const answers = (await resolver.resolveHost(name, signal)).map((a) => parseAddress(a));
  if (!answers.some((a) => a !== null && a.family === address.family && a.value === address.value))
    throw new AsmvsError(
      'TARGET_OUT_OF_SCOPE',
      `${formatAddress(address)} is out of scope: reached through ${name}, which does not resolve to it`,
      { details: { reason: 'name does not resolve to the address' } },
    );
  checkAddress(policy, address, name);
}
