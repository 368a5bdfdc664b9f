// The BUILTIN discovery engine: for each target of a request, inside its scope — DNS records and subdomains for
// names, CIDR expansion, a TCP port scan and service identification of every address, reverse DNS.
import { AsmvsError } from '../errors.ts';
import type { Observation } from '../processors/asm-discovery.ts';
import type { DiscoveryRequest, DnsRecord, Service } from '../schemas/types.gen.ts';
import { getScanner, runScanner, type ScanContext, type ServiceResult } from '../scanners/index.ts';
import type { DnsClient } from '../scanners/dns/dns-client.ts';
import { enumerateSubdomains } from '../scanners/dns/subdomains.ts';
import { narrowPolicy } from '../scanners/scope/policy.ts';
import { scopeTarget, type ScopedHost } from '../scanners/scope/resolve.ts';
import { profilePorts } from './profiles.ts';
import { classifyAddress } from '../exposure/address-class.ts';

export interface DiscoveryEnv {
  /** A scanner context for one request (policy from config, resolver, io, signal). */
  context(signal: AbortSignal): ScanContext;
  readonly dns: DnsClient;
}

function toService(s: ServiceResult): Service {
  const { host: _host, hostname: _hostname, ...service } = s;
  return service;
}

async function dnsRecordsOf(dns: DnsClient, name: string): Promise<DnsRecord[]> {
  try {
    return (await dns.records(name)).map((r) => ({ type: r.type, name: r.name, value: r.value, ttl: r.ttl ?? null }));
  } catch (error) {
    if (error instanceof AsmvsError && error.code === 'DNS_NOT_FOUND') return [];
    throw error;
  }
}

async function reverseOf(dns: DnsClient, address: string): Promise<string[]> {
  try {
    return await dns.reverse(address);
  } catch (error) {
    if (error instanceof AsmvsError && (error.code === 'DNS_NOT_FOUND' || error.code === 'DNS_FAILED')) return [];
    throw error;
  }
}

export function builtinDiscovery(env: DiscoveryEnv) {
  return async function* discover(request: DiscoveryRequest, signal: AbortSignal): AsyncIterable<Observation> {
    const ctx = env.context(signal);
    const policy = narrowPolicy(ctx.policy, request.scope);
    const scoped = { ...ctx, policy };
    const ports = request.ports ?? profilePorts(request.profile);
    const scanner = getScanner('service-id');
    for (const input of request.targets) {
      const target = await scopeTarget(policy, input, ctx.resolver, signal);
      const names = new Set<string>();
      const records: DnsRecord[] = [];
      if (target.target.kind === 'hostname') {
        const name = target.target.hostname;
        names.add(name);
        records.push(...(await dnsRecordsOf(env.dns, name)));
        if (request.enumerateSubdomains) {
          const found = await enumerateSubdomains(name, env.dns, { signal });
          for (const sub of found.found) {
            // A subdomain is an asset of its own only when it, too, is in scope.
            const subTarget = await scopeTarget(policy, sub.name, ctx.resolver, signal).catch(() => null);
            if (subTarget)
              yield {
                kind: 'DOMAIN',
                value: sub.name,
                hostnames: [sub.name],
                addresses: subTarget.hosts.map((h) => h.address),
                dnsRecords: [],
                services: [],
              };
          }
        }
        yield {
          kind: 'DOMAIN',
          value: name,
          hostnames: [name],
          addresses: target.hosts.map((h) => h.address),
          dnsRecords: records,
          services: [],
        };
      }
      for (const host of target.hosts)
        yield await observeHost(host, { request, scanner, scoped, ports, names, env, signal });
    }
  };
}

// Loopback and link-local names are local facts (/etc/hosts), not DNS: asking a resolver about them only sends
// a query off the machine for nothing.
function wantsReverse(address: string): boolean {
  const kind = classifyAddress(address);
  return kind !== 'loopback' && kind !== 'link-local';
}

async function observeHost(
  host: ScopedHost,
  o: {
    request: DiscoveryRequest;
    scanner: ReturnType<typeof getScanner>;
    scoped: ScanContext;
    ports: string | readonly number[];
    names: Set<string>;
    env: DiscoveryEnv;
    signal: AbortSignal;
  },
): Promise<Observation> {
  const result = await runScanner(
    o.scanner,
    { target: host.address, ports: o.ports, scope: o.request.scope },
    o.scoped,
  );
  const hostnames = new Set(host.hostname ? [host.hostname] : []);
  if (o.request.reverseDns && wantsReverse(host.address))
    for (const name of await reverseOf(o.env.dns, host.address)) hostnames.add(name);
  return {
    kind: 'IP',
    value: host.address,
    hostnames: [...hostnames].sort(),
    addresses: [host.address],
    dnsRecords: [],
    services: result.services.map(toService),
  };
}
