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

const BACKSLASH = 0x5c;
const BACKSLASH_U = Buffer.from('\\u');

/**
 * Whether report bytes can yield a string that is not storable: a NUL byte, or a JSON escape of U+0000 or of a
 * surrogate (UTF-8 decoding itself never makes an unpaired surrogate). `tail` is the end of the previous chunk, so
 * an escape split across chunks is seen. Native searches only: most reports hold neither, and their findings skip
 * the per-string pass.
 */
export function mayHoldUnstorable(chunk: Uint8Array, tail: Uint8Array): boolean {
  const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (buf.includes(0)) return true;
  // no backslash in the chunk or the end of the previous one: no escape (a one-byte search, the common case)
  if (!buf.includes(BACKSLASH) && !tail.includes(BACKSLASH)) return false;
  const joined = tail.length > 0 ? Buffer.concat([tail, buf.subarray(0, 6)]) : null;
  for (const b of joined ? [joined, buf] : [buf]) {
    for (let i = b.indexOf(BACKSLASH_U); i !== -1; i = b.indexOf(BACKSLASH_U, i + 2)) {
      const hex = b.toString('latin1', i + 2, i + 6).toLowerCase();
      if (hex === '0000' || /^d[89a-f]/.test(hex)) return true;
    }
  }
  return false;
}
