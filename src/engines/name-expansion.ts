// The DNS half of a discovery request's expansion: one name to its DOMAIN asset (with its records), the addresses
// it resolves to in scope, and, when the request asks, its subdomains in scope with theirs. A name that does not
// exist, or that resolves out of scope, is refused on its own (counted, never scanned); the rest of the request goes
// on. Resolved once here: the host items carry the addresses, so a later answer cannot move a scan (rebinding).
import { AsmvsError } from '../errors.ts';
import type { DnsRecord } from '../schemas/types.gen.ts';
import type { Observation } from '../processors/asm-discovery.ts';
import type { DnsClient } from '../scanners/dns/dns-client.ts';
import { enumerateSubdomains } from '../scanners/dns/subdomains.ts';
import type { ScanContext } from '../scanners/index.ts';
import type { ScopePolicy } from '../scanners/scope/policy.ts';
import { scopeTarget } from '../scanners/scope/resolve.ts';

export interface NameExpansion {
  /** DOMAIN assets: the name, then each subdomain found in scope. */
  readonly domains: Observation[];
  /** Addresses to scan, each with the name it was resolved from. */
  readonly hosts: { readonly address: string; readonly hostname: string }[];
  /** The name itself did not resolve, or resolved out of scope. */
  readonly refused: boolean;
}

const REFUSALS = new Set(['DNS_NOT_FOUND', 'TARGET_OUT_OF_SCOPE']);

async function dnsRecordsOf(dns: DnsClient, name: string): Promise<DnsRecord[]> {
  try {
    return (await dns.records(name)).map((r) => ({ type: r.type, name: r.name, value: r.value, ttl: r.ttl ?? null }));
  } catch (error) {
    if (error instanceof AsmvsError && error.code === 'DNS_NOT_FOUND') return [];
    throw error;
  }
}

function domain(name: string, addresses: string[], dnsRecords: DnsRecord[]): Observation {
  return { kind: 'DOMAIN', value: name, hostnames: [name], addresses, dnsRecords, services: [] };
}

export function nameExpansion(env: { context(signal: AbortSignal): ScanContext; readonly dns: DnsClient }) {
  return async function expand(
    name: string,
    o: { policy: ScopePolicy; subdomains: boolean; signal: AbortSignal },
  ): Promise<NameExpansion> {
    const ctx = env.context(o.signal);
    const scoped = await scopeTarget(o.policy, name, ctx.resolver, o.signal).catch((error: unknown) => {
      if (error instanceof AsmvsError && REFUSALS.has(error.code)) return null;
      throw error;
    });
    if (!scoped) return { domains: [], hosts: [], refused: true };
    const addresses = scoped.hosts.map((h) => h.address);
    const domains = [domain(name, addresses, await dnsRecordsOf(env.dns, name))];
    const hosts = addresses.map((address) => ({ address, hostname: name }));
    if (o.subdomains) {
      const found = await enumerateSubdomains(name, env.dns, { signal: o.signal });
      for (const sub of found.found) {
        // A subdomain is an asset of its own, and scanned, only when it too is in scope.
        const subScoped = await scopeTarget(o.policy, sub.name, ctx.resolver, o.signal).catch(() => null);
        if (!subScoped) continue;
        domains.push(
          domain(
            sub.name,
            subScoped.hosts.map((h) => h.address),
            [],
          ),
        );
        for (const h of subScoped.hosts) hosts.push({ address: h.address, hostname: sub.name });
      }
    }
    return { domains, hosts, refused: false };
  };
}
