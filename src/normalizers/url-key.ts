// The asset key of a web finding: origin (scheme, host, port) and path. The query string and fragment are not part
// of it (they vary per request: ZAP instances, nuclei payloads), so they fold into the occurrence count.
import type { AssetKey } from './draft.ts';

export function urlKey(url: string): AssetKey | null {
  try {
    const u = new URL(url);
    if (u.origin === 'null') return null;
    return { kind: 'url', origin: u.origin, path: u.pathname || '/' };
  } catch {
    return null;
  }
}

export function hostOfUrl(url: string): string | null {
  try {
    return new URL(url).hostname.replace(/^\[|\]$/g, '') || null;
  } catch {
    return null;
  }
}

export function portOfUrl(url: string): number | null {
  try {
    const u = new URL(url);
    if (u.port) return Number(u.port);
    return u.protocol === 'https:' ? 443 : u.protocol === 'http:' ? 80 : null;
  } catch {
    return null;
  }
}
