// Banners and responses are attacker-controlled bytes. Whatever a scanner stores is already safe to print and to
// parse: banners are kept as an escaped form of their bytes (printable ASCII only, reversible), short fields lose
// their control and bidi characters, so nothing a remote service sends reaches a terminal, a log or a JSON
// consumer raw (an ANSI or C1 escape, a CR/LF, U+2028, U+202E).

export const MAX_BANNER_BYTES = 1024;

// C0, DEL and C1 controls; the line and paragraph separators (U+2028/9 end a line in JavaScript and in some
// viewers); bidi embeddings, overrides and isolates (U+202A–E, U+2066–9) and marks (U+200E/F, U+061C), which
// reorder what is shown; the byte-order mark.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must go
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

/**
 * The bytes as printable ASCII: 0x20–0x7e kept, except `\` which becomes `\\`; CR, LF and TAB as `\r`, `\n`,
 * `\t`; every other byte as `\xNN`. Lossless (`unescapeBytes` gives the bytes back) and at most 4 chars a byte.
 */
export function escapeBytes(data: Buffer): string {
  let out = '';
  for (const byte of data) {
    if (byte === 0x5c) out += '\\\\';
    else if (byte >= 0x20 && byte < 0x7f) out += String.fromCharCode(byte);
    else if (byte === 0x0d) out += '\\r';
    else if (byte === 0x0a) out += '\\n';
    else if (byte === 0x09) out += '\\t';
    else out += `\\x${byte.toString(16).padStart(2, '0')}`;
  }
  return out;
}

/** The bytes `escapeBytes` encoded. */
export function unescapeBytes(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch !== '\\') {
      bytes.push(text.charCodeAt(i) & 0xff);
      continue;
    }
    const next = text[++i];
    if (next === 'r') bytes.push(0x0d);
    else if (next === 'n') bytes.push(0x0a);
    else if (next === 't') bytes.push(0x09);
    else if (next === 'x') {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(0x5c);
  }
  return Buffer.from(bytes);
}

/** A banner as stored: the first `maxBytes` bytes, escaped (`escapeBytes`). */
export function bannerText(data: Buffer, maxBytes = MAX_BANNER_BYTES): string {
  return escapeBytes(data.subarray(0, maxBytes));
}

/** Printable ASCII kept; everything else as \r, \n, \t, \xNN or \u{…}. Output length is bounded by `maxChars`. */
export function escapeForDisplay(text: string, maxChars = 4 * MAX_BANNER_BYTES): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    let piece: string;
    if (ch === '\\') piece = '\\\\';
    else if (ch === '\n') piece = '\\n';
    else if (ch === '\r') piece = '\\r';
    else if (ch === '\t') piece = '\\t';
    else if (code >= 0x20 && code < 0x7f) piece = ch;
    else if (code < 0x100) piece = `\\x${code.toString(16).padStart(2, '0')}`;
    else piece = `\\u{${code.toString(16)}}`;
    if (out.length + piece.length > maxChars) return `${out}…`;
    out += piece;
  }
  return out;
}

/** A short single-line value (product, version, header, title): unsafe characters dropped, length capped. */
export function cleanField(text: string | null | undefined, maxChars = 128): string | null {
  if (text === null || text === undefined) return null;
  const clean = text.replace(UNSAFE_CHARACTERS, '').trim().slice(0, maxChars);
  return clean === '' ? null : clean;
}
