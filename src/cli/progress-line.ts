// The one line a TTY shows while a range is scanned: hosts done of the total, how many are up, open ports, and an
// estimate of the time left from the pace so far (pure; the caller writes it).
import type { HostCounts } from '../app/job-events.ts';

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function progressLine(counts: HostCounts, total: number | null, elapsedMs: number): string {
  const of = total ?? counts.addresses;
  const parts = [
    `hosts ${counts.done}/${of}${total === null ? '+' : ''}`,
    `${counts.up} up`,
    `${counts.openPorts} open ports`,
  ];
  if (counts.failed > 0) parts.push(`${counts.failed} failed`);
  if (total !== null && counts.done > 0 && counts.done < total)
    parts.push(`ETA ${duration((elapsedMs / counts.done) * (total - counts.done))}`);
  parts.push(`${duration(elapsedMs)} elapsed`);
  return parts.join(' · ');
}
