// Reading untrusted JSON values without `any`: each accessor returns the type asked for or a neutral empty value.
export type Obj = Readonly<Record<string, unknown>>;

export function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function obj(o: unknown, key: string): Obj {
  const v = isObj(o) ? o[key] : undefined;
  return isObj(v) ? v : {};
}

export function arr(o: unknown, key: string): unknown[] {
  const v = isObj(o) ? o[key] : undefined;
  return Array.isArray(v) ? v : [];
}

export function objs(o: unknown, key: string): Obj[] {
  return arr(o, key).filter(isObj);
}

/** A non-empty string (numbers are converted: scanners disagree on "8080" vs 8080). */
export function str(o: unknown, key: string): string | null {
  const v = isObj(o) ? o[key] : undefined;
  if (typeof v === 'string') return v.trim() === '' ? null : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return null;
}

export function strs(o: unknown, key: string): string[] {
  const v = isObj(o) ? o[key] : undefined;
  if (typeof v === 'string') return v.trim() === '' ? [] : [v];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
}

export function num(o: unknown, key: string): number | null {
  const v = isObj(o) ? o[key] : undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : null;
}

/** An integer port 1–65535 or null. */
export function port(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : null;
}

/** HTML as ZAP writes it (<p>…</p>) → plain text; the text is data, never rendered. */
export function plainText(html: string | null): string | null {
  if (html === null) return null;
  const t = html
    .replace(/<\/p>\s*<p>/gi, '\n')
    .replace(/<[^>]{0,200}>/g, '')
    .trim();
  return t === '' ? null : t;
}

export function urlsIn(text: string | null): string[] {
  if (!text) return [];
  return [...text.matchAll(/https?:\/\/[^\s<>"']+/g)].map((m) => m[0]);
}
