// Findings in the order a reader wants them: most severe first, then by host, port and title.
import type { Finding } from '../schemas/types.gen.ts';

export function byRisk(a: Finding, b: Finding): number {
  return (
    b.severityId - a.severityId ||
    (a.asset.ip ?? a.asset.hostname ?? '').localeCompare(b.asset.ip ?? b.asset.hostname ?? '') ||
    (a.asset.port ?? 0) - (b.asset.port ?? 0) ||
    a.title.localeCompare(b.title)
  );
}
