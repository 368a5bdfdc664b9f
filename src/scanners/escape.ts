// Banners and responses are attacker-controlled bytes. They are stored as data (capped) and escaped whenever they
// are shown, so an ANSI escape or a CR/LF in a banner can never repaint a terminal or forge a log line.

export const MAX_BANNER_BYTES = 1024;

// eslint-disable-next-line no-control-regex -- control characters are exactly what must go
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

/** Decodes bytes as latin1 (lossless: one char per byte), capped. */
export function bannerText(data: Buffer, maxBytes = MAX_BANNER_BYTES): string {
  return data.subarray(0, maxBytes).toString('latin1');
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

/** A short single-line value for product/version fields: control characters dropped, length capped. */
export function cleanField(text: string | null | undefined, maxChars = 128): string | null {
  if (text === null || text === undefined) return null;
  const clean = text.replace(CONTROL_CHARACTERS, '').trim().slice(0, maxChars);
  return clean === '' ? null : clean;
}
