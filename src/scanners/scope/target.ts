// A request's target text to one of: an address, a network (CIDR), a hostname, or a URL (its host, port, path).
// Anything else is TARGET_INVALID with the reason, before any DNS query, socket or process.
import { AsmvsError } from '../../errors.ts';
import { parseAddress, parseNetwork, type Address, type Network } from './address.ts';
import { canonicalHostname } from './hostname.ts';
import { looksLikeIPv4 } from './ipv4.ts';

export type Target =
  | { readonly kind: 'address'; readonly input: string; readonly address: Address }
  | { readonly kind: 'network'; readonly input: string; readonly network: Network }
  | { readonly kind: 'hostname'; readonly input: string; readonly hostname: string }
  | {
      readonly kind: 'url';
      readonly input: string;
      readonly url: URL;
      readonly host: { readonly address: Address } | { readonly hostname: string };
      readonly port: number;
    };

export const MAX_TARGET_LENGTH = 2048;

// Characters a shell, an option parser or a URL smuggler would care about. Refused rather than escaped.
// eslint-disable-next-line no-control-regex -- control characters are refused on purpose
const FORBIDDEN = /[\s;&|`$()<>'"\\*?!{}^~#,=+@]|[\u0000-\u001f\u007f]/u;
// eslint-disable-next-line no-control-regex -- control characters are refused on purpose
const URL_FORBIDDEN = /[\s;|`$<>'"\\\u0000-\u001f\u007f]/u;

function invalid(input: string, reason: string): AsmvsError {
  const shown = input.length > 80 ? `${input.slice(0, 80)}… (${input.length} chars)` : input;
  return new AsmvsError('TARGET_INVALID', `invalid target ${JSON.stringify(shown)}: ${reason}`, {
    details: { reason },
  });
}

function parseHost(input: string, host: string): { address: Address } | { hostname: string } {
  if (host.includes(':') || host.startsWith('[') || looksLikeIPv4(host)) {
    const address = parseAddress(host);
    if (!address) throw invalid(input, 'not a valid IP address');
    return { address };
  }
  const hostname = canonicalHostname(host);
  if (!hostname) throw invalid(input, 'not a valid hostname');
  return { hostname };
}

function parseUrl(input: string): Target {
  if (URL_FORBIDDEN.test(input)) throw invalid(input, 'contains whitespace, control or shell metacharacters');
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw invalid(input, 'not a valid URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalid(input, 'only http and https URLs can be scanned');
  if (url.username || url.password) throw invalid(input, 'URLs with credentials are refused');
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { kind: 'url', input, url, host: parseHost(input, url.hostname), port };
}

/** Parses and canonicalises one target; throws TARGET_INVALID. */
export function parseTarget(input: unknown): Target {
  if (typeof input !== 'string') throw invalid(String(input), 'must be a string');
  if (input.length === 0) throw invalid(input, 'is empty');
  if (input.length > MAX_TARGET_LENGTH) throw invalid(input, `is longer than ${MAX_TARGET_LENGTH} characters`);
  if (input.startsWith('-')) throw invalid(input, 'must not begin with "-" (it would be read as an option)');
  if (/^https?:\/\//i.test(input)) return parseUrl(input);
  if (FORBIDDEN.test(input)) throw invalid(input, 'contains whitespace, control or shell metacharacters');
  if (input.includes('/')) {
    const net = parseNetwork(input);
    if (!net) throw invalid(input, 'not a valid CIDR network');
    return { kind: 'network', input, network: net };
  }
  const host = parseHost(input, input);
  return 'address' in host
    ? { kind: 'address', input, address: host.address }
    : { kind: 'hostname', input, hostname: host.hostname };
}
