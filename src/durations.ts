// Durations as people write them ("90s", "24h", "1h30m", "7d"), parsed strictly: a malformed one is an error that
// says what is accepted, never a silent zero.
import { AsmvsError } from './errors.ts';

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;

export const DAY_MS = UNIT_MS.d;
const PART = /(\d+)(ms|s|m|h|d|w)/gy;

/** Milliseconds, or an Error whose message names the input and the accepted form. */
export function parseDuration(text: string): number {
  const trimmed = text.trim();
  const problem = () =>
    new AsmvsError(
      'USAGE',
      `${JSON.stringify(text)} is not a duration; write a whole number and a unit, e.g. 90s, 15m, 24h, 7d, 1h30m`,
    );
  if (trimmed === '') throw problem();
  PART.lastIndex = 0;
  let total = 0;
  let end = 0;
  for (let m = PART.exec(trimmed); m !== null; m = PART.exec(trimmed)) {
    total += Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
    end = PART.lastIndex;
  }
  if (end !== trimmed.length || !Number.isSafeInteger(total)) throw problem();
  return total;
}

/** The shortest exact spelling: 86400000 → "1d", 5400000 → "1h30m", 1500 → "1s500ms". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of [...Object.entries(UNIT_MS)].reverse()) {
    if (unit === 'w') continue; // "14d" reads better than "2w"
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
