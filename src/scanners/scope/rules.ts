// An allow or deny list as written (SCOPE_ALLOW, SCOPE_DENY, a request's --scope) to networks and domains. An entry
// is a CIDR or address (any spelling address.ts takes), a domain (`*.` allowed: a domain covers its subdomains), or
// a keyword naming a set of networks (`loopback`).
import { AsmvsError } from '../../errors.ts';
import { parseNetwork, type Network } from './address.ts';
import { canonicalHostname } from './hostname.ts';
import { SCOPE_KEYWORDS } from './special-ranges.ts';

export interface ScopeRules {
  readonly networks: readonly Network[];
  readonly domains: readonly string[];
}

export interface ScopeList {
  readonly allow: ScopeRules;
  readonly deny: ScopeRules;
}

function parseRules(entries: readonly string[], onBad: (entry: string) => AsmvsError): ScopeRules {
  const networks: Network[] = [];
  const domains: string[] = [];
  for (const entry of entries) {
    const keyword = SCOPE_KEYWORDS[entry.toLowerCase()];
    if (keyword) {
      networks.push(...keyword);
      continue;
    }
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

export function parseList(
  list: { allow: readonly string[]; deny: readonly string[] },
  onBad: (entry: string) => AsmvsError,
): ScopeList {
  return { allow: parseRules(list.allow, onBad), deny: parseRules(list.deny, onBad) };
}
