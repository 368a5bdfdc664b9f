// Subdomain enumeration from a wordlist, with wildcard detection: a few random labels are resolved first; if they
// answer, the zone has a wildcard, and candidates that resolve only to the wildcard's addresses are dropped.
import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import { AsmvsError } from '../../errors.ts';
import type { HostResolver } from '../scope/resolve.ts';
import { SUBDOMAIN_WORDS } from './wordlist.ts';

export interface Subdomain {
  readonly name: string;
  readonly addresses: readonly string[];
}

export interface SubdomainResult {
  readonly wildcard: boolean;
  readonly wildcardAddresses: readonly string[];
  readonly found: readonly Subdomain[];
}

async function tryResolve(resolver: HostResolver, name: string, signal?: AbortSignal): Promise<string[]> {
  try {
    return await resolver.resolveHost(name, signal);
  } catch (error) {
    if (error instanceof AsmvsError && error.code === 'DNS_NOT_FOUND') return [];
    throw error;
  }
}

export async function enumerateSubdomains(
  domain: string,
  resolver: HostResolver,
  options: { words?: readonly string[]; concurrency?: number; signal?: AbortSignal } = {},
): Promise<SubdomainResult> {
  const probes = await Promise.all(
    [0, 1, 2].map(() => tryResolve(resolver, `asmvs-${randomBytes(8).toString('hex')}.${domain}`, options.signal)),
  );
  const wildcardAddresses = [...new Set(probes.flat())].sort();
  const wildcard = wildcardAddresses.length > 0;
  const limit = pLimit(options.concurrency ?? 32);
  const words = [...new Set(options.words ?? SUBDOMAIN_WORDS)];
  const results = await Promise.all(
    words.map((word) =>
      limit(async (): Promise<Subdomain | null> => {
        if (options.signal?.aborted) throw new AsmvsError('ABORTED', 'subdomain enumeration was aborted');
        const name = `${word}.${domain}`;
        const addresses = (await tryResolve(resolver, name, options.signal)).sort();
        if (addresses.length === 0) return null;
        if (wildcard && addresses.every((a) => wildcardAddresses.includes(a))) return null;
        return { name, addresses };
      }),
    ),
  );
  return { wildcard, wildcardAddresses, found: results.filter((r): r is Subdomain => r !== null) };
}
