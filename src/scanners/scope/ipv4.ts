// Every spelling inet_aton (and so curl, ping and browsers) accepts: 127.0.0.1, 2130706433, 0x7f000001,
// 0177.0.0.1, 127.1, 127.0.1. Attackers use these to slip 169.254.169.254 past naive string checks, so the scope
// check runs on the number, never on the text.

const PART = /^(0x[0-9a-f]*|0[0-7]*|[1-9][0-9]*)$/i;

function parsePart(part: string): number | null {
  if (!PART.test(part)) return null;
  if (/^0x/i.test(part)) return part.length === 2 ? 0 : Number.parseInt(part.slice(2), 16);
  if (part.length > 1 && part.startsWith('0')) return Number.parseInt(part.slice(1), 8);
  return Number.parseInt(part, 10);
}

/** True when the text is shaped like a number-based IPv4 spelling (its last label is numeric). */
export function looksLikeIPv4(text: string): boolean {
  const labels = text.replace(/\.$/, '').split('.');
  const last = labels[labels.length - 1] ?? '';
  return last.length > 0 && /^(0x[0-9a-f]*|[0-9]+)$/i.test(last);
}

/** The address as an unsigned 32-bit number, or null when the text is not a valid IPv4 spelling. */
export function parseIPv4(text: string): number | null {
  if (text.length === 0 || text.length > 64) return null;
  const parts = text.replace(/\.$/, '').split('.');
  if (parts.length > 4) return null;
  const values: number[] = [];
  for (const part of parts) {
    const value = parsePart(part);
    if (value === null || !Number.isFinite(value)) return null;
    values.push(value);
  }
  const last = values.pop() ?? 0;
  let result = 0;
  for (const [i, v] of values.entries()) {
    if (v > 255) return null;
    result += v * 2 ** (8 * (3 - i));
  }
  if (last >= 2 ** (8 * (4 - values.length))) return null;
  return result + last;
}

export function formatIPv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}
