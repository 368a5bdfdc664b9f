// Findings as a user filters them: by severity (--severity), and whether any reaches a threshold (--fail-on).
import type { Finding, Severity } from '../schemas/types.gen.ts';

export type { Finding, Severity } from '../schemas/types.gen.ts';

const RANK: Readonly<Record<Severity, number>> = { INFO: 1, LOW: 2, MEDIUM: 3, HIGH: 4, CRITICAL: 5 };

/** The findings of these severities (all when none are named), in their order. */
export function withSeverities(findings: readonly Finding[], severities: readonly Severity[] | undefined): Finding[] {
  if (!severities || severities.length === 0) return [...findings];
  const keep = new Set(severities);
  return findings.filter((f) => keep.has(f.severity));
}

/** Whether a finding is at or above the threshold. */
export function reaches(findings: readonly Finding[], threshold: Severity): boolean {
  return findings.some((f) => RANK[f.severity] >= RANK[threshold]);
}
