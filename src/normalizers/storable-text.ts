// Every finding the normalizer emits must be storable as PostgreSQL text and jsonb, which refuse U+0000 (SQLSTATE
// 22P05) and unpaired UTF-16 surrogates (a JSON report may spell them as \ud800 escapes). Banners hold NUL bytes
// (a MariaDB handshake does), so strings are made storable once, here: a NUL becomes the four characters `\x00`
// (the notation escapeForDisplay uses for banner bytes), an unpaired surrogate becomes U+FFFD (what encoding the
// string as UTF-8 would make of it anyway). Every other character is kept as it is.
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what PostgreSQL refuses
const UNSTORABLE = /[\u0000\ud800-\udfff]/;

export function storableText(s: string): string {
  if (!UNSTORABLE.test(s)) return s;
  return s.toWellFormed().replaceAll('\u0000', '\\x00');
}

/** Makes every string inside a plain JSON-like value storable, in place; returns the value. */
export function storableValue<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v: unknown = value[i];
      if (typeof v === 'string') value[i] = storableText(v);
      else if (v !== null && typeof v === 'object') storableValue(v);
    }
    return value;
  }
  const o = value as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (typeof v === 'string') o[k] = storableText(v);
    else if (v !== null && typeof v === 'object') storableValue(v);
  }
  return value;
}
