// IPv6 text to a 128-bit number and back (RFC 5952 canonical text), including embedded IPv4 tails (::ffff:1.2.3.4).
import { parseIPv4 } from './ipv4.ts';

const HEXTET = /^[0-9a-f]{1,4}$/i;

function parseGroups(text: string): number[] | null {
  if (text === '') return [];
  const groups: number[] = [];
  const parts = text.split(':');
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && part.includes('.')) {
      // Only the strict dotted-quad form is legal inside IPv6.
      if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(part)) return null;
      const v4 = parseIPv4(
        part
          .split('.')
          .map((p) => String(Number(p)))
          .join('.'),
      );
      if (v4 === null || part.split('.').some((p) => p.length > 1 && p.startsWith('0'))) return null;
      groups.push(Math.floor(v4 / 65536), v4 % 65536);
    } else {
      if (!HEXTET.test(part)) return null;
      groups.push(Number.parseInt(part, 16));
    }
  }
  return groups;
}

/** The address as a bigint, or null when the text is not an IPv6 address. Zone ids (%eth0) are refused. */
export function parseIPv6(text: string): bigint | null {
  if (text.length === 0 || text.length > 45 || text.includes('%')) return null;
  const halves = text.split('::');
  if (halves.length > 2) return null;
  let groups: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0] ?? '');
    const tail = parseGroups(halves[1] ?? '');
    if (head === null || tail === null || head.length + tail.length > 7) return null;
    groups = [...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    const all = parseGroups(text);
    if (all === null || all.length !== 8) return null;
    groups = all;
  }
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

export function formatIPv6(value: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(16 * (7 - i))) & 0xffffn));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
