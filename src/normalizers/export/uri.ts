// URIs for the places findings point at, valid RFC 3986 references (SARIF artifact locations, OCSF src_url): a path
// is percent-encoded segment by segment (an absolute one becomes a file: URI), a network service is
// <protocol>://<host>:<port> with an IPv6 host in brackets (tcp://::1:6379 is not a URI; tcp://[::1]:6379 is).
import { isIP } from 'node:net';

// RFC 3986 pchar: unreserved / pct-encoded / sub-delims / ":" / "@"
const PCHAR = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})*$/;
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

function encodeSegment(segment: string): string {
  if (PCHAR.test(segment)) return segment;
  return Array.from(segment, (c) => (PCHAR.test(c) ? c : encodeURIComponent(c))).join('');
}

/** A path as a URI reference: relative paths stay relative (repository-relative is what code scanning shows). */
export function pathUri(path: string): string {
  const normal = path.replaceAll('\\', '/');
  const encoded = normal.split('/').map(encodeSegment).join('/');
  if (normal.startsWith('/')) return `file://${encoded}`;
  // A first segment with a colon would read as a scheme: ./ keeps it a path.
  return SCHEME.test(encoded) && !encoded.startsWith('file:') ? `./${encoded}` : encoded;
}

/** A host as a URI's authority: IPv6 in brackets. */
export function uriHost(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/** tcp://host:port (or udp://), for a service found on a host. */
export function serviceUri(protocol: string | null, host: string, port: number | null): string {
  const scheme = (protocol ?? 'tcp').toLowerCase().replace(/[^a-z0-9+.-]/g, '') || 'tcp';
  return `${scheme}://${uriHost(host)}${port !== null ? `:${port}` : ''}`;
}

// Characters a URI may hold (RFC 3986 unreserved, reserved and percent-escapes), and a scheme in front.
const URI_CHARS = /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/;

/**
 * A scanner-given URL as a URI: as given when it is one (not normalised: WHATWG parsing turns /.%2e/ into /../ and
 * removes it, and a path traversal finding's URL must keep it); otherwise the parser's serialisation, which
 * percent-encodes; null when it is not a URL at all.
 */
export function urlUri(text: string): string | null {
  if (!SCHEME.test(text) || !URL.canParse(text)) return null;
  return URI_CHARS.test(text) ? text : new URL(text).href;
}
