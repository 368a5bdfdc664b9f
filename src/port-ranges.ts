// Port lists in the compact form nmap writes ("22,80,8000-8100"): how the built-in scanners state the ports they
// probed, how nmap's <scaninfo services> reads, and how a scan's coverage carries them to findings_resolver.

/** Inclusive, sorted, non-overlapping. */
export type PortRanges = readonly (readonly [first: number, last: number])[];

/** Sorted, de-duplicated, consecutive ports merged into ranges. */
export function formatPorts(ports: Iterable<number>): string {
  const sorted = [...new Set(ports)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}

/** The ranges a list names, sorted and merged; null when the text is not such a list (ports 0-65535). */
export function parsePortRanges(text: string): PortRanges | null {
  if (text.trim() === '') return [];
  const ranges: [number, number][] = [];
  for (const part of text.split(',')) {
    const m = /^\s*(\d{1,5})(?:-(\d{1,5}))?\s*$/.exec(part);
    if (!m) return null;
    const first = Number(m[1]);
    const last = m[2] === undefined ? first : Number(m[2]);
    if (last < first || last > 65535) return null;
    ranges.push([first, last]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const r of ranges) {
    const top = merged.at(-1);
    if (top && r[0] <= top[1] + 1) top[1] = Math.max(top[1], r[1]);
    else merged.push(r);
  }
  return merged;
}

export function inPortRanges(ranges: PortRanges, port: number): boolean {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [first, last] = ranges[mid]!;
    if (port < first) hi = mid - 1;
    else if (port > last) lo = mid + 1;
    else return true;
  }
  return false;
}
