// DNS against the configured resolver (DNS_RESOLVER) or, unset, the system's. Errors become DNS_NOT_FOUND
// (the name does not exist: final) or DNS_FAILED (timeouts, refusals: retryable).
import { lookup, Resolver } from 'node:dns/promises';
import { AsmvsError } from '../../errors.ts';
import type { DnsRecord } from '../../schemas/types.gen.ts';
import type { HostResolver } from '../scope/resolve.ts';

export interface DnsClient extends HostResolver {
  /** A, AAAA, CNAME, MX, NS and TXT records of one name (missing types are simply absent). */
  records(name: string): Promise<DnsRecord[]>;
  /** PTR names of an address. */
  reverse(address: string): Promise<string[]>;
}

const NOT_FOUND = new Set(['ENOTFOUND', 'ENODATA', 'NXDOMAIN', 'ENONAME']);

function dnsError(name: string, error: unknown): AsmvsError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  if (NOT_FOUND.has(code))
    return new AsmvsError('DNS_NOT_FOUND', `${name}: no such name or record (${code})`, { cause: error });
  return new AsmvsError('DNS_FAILED', `${name}: DNS query failed (${code || 'error'})`, { cause: error });
}

export function createDnsClient(options: { server?: string; timeoutMs?: number; tries?: number } = {}): DnsClient {
  const resolver = new Resolver({ timeout: options.timeoutMs ?? 2000, tries: options.tries ?? 2 });
  if (options.server) resolver.setServers([options.server]);

  async function optional<T>(name: string, query: () => Promise<T[]>): Promise<T[]> {
    try {
      return await query();
    } catch (error) {
      const e = dnsError(name, error);
      if (e.code === 'DNS_NOT_FOUND') return [];
      throw e;
    }
  }

  return {
    async resolveHost(name) {
      if (!options.server) {
        try {
          return (await lookup(name, { all: true, verbatim: true })).map((a) => a.address);
        } catch (error) {
          throw dnsError(name, error);
        }
      }
      const [v4, v6] = await Promise.all([
        optional(name, () => resolver.resolve4(name)),
        optional(name, () => resolver.resolve6(name)),
      ]);
      if (v4.length + v6.length === 0) throw new AsmvsError('DNS_NOT_FOUND', `${name} has no A or AAAA record`);
      return [...v4, ...v6];
    },
    async records(name) {
      const [a, aaaa, cname, mx, ns, txt] = await Promise.all([
        optional(name, () => resolver.resolve4(name, { ttl: true })),
        optional(name, () => resolver.resolve6(name, { ttl: true })),
        optional(name, () => resolver.resolveCname(name)),
        optional(name, () => resolver.resolveMx(name)),
        optional(name, () => resolver.resolveNs(name)),
        optional(name, () => resolver.resolveTxt(name)),
      ]);
      return [
        ...a.map((r) => ({ type: 'A', name, value: r.address, ttl: r.ttl })),
        ...aaaa.map((r) => ({ type: 'AAAA', name, value: r.address, ttl: r.ttl })),
        ...cname.map((value) => ({ type: 'CNAME', name, value, ttl: null })),
        ...mx.map((r) => ({ type: 'MX', name, value: `${r.priority} ${r.exchange}`, ttl: null })),
        ...ns.map((value) => ({ type: 'NS', name, value, ttl: null })),
        ...txt.map((parts) => ({ type: 'TXT', name, value: parts.join('').slice(0, 4096), ttl: null })),
      ];
    },
    async reverse(address) {
      return optional(address, () => resolver.reverse(address));
    },
  };
}
