// One severity scale for every scanner. The scanner's own label is always kept next to it (scannerSeverity).
import type { Severity } from '../schemas/types.gen.ts';

/** OCSF severity_id: 1 informational … 5 critical. */
export const SEVERITY_ID: Readonly<Record<Severity, number>> = { INFO: 1, LOW: 2, MEDIUM: 3, HIGH: 4, CRITICAL: 5 };

const LABELS: Readonly<Record<string, Severity>> = {
  info: 'INFO',
  informational: 'INFO',
  information: 'INFO',
  none: 'INFO',
  note: 'INFO',
  log: 'INFO',
  unknown: 'INFO',
  negligible: 'INFO',
  low: 'LOW',
  minor: 'LOW',
  medium: 'MEDIUM',
  moderate: 'MEDIUM',
  warning: 'MEDIUM',
  high: 'HIGH',
  important: 'HIGH',
  error: 'HIGH',
  critical: 'CRITICAL',
};

/** A scanner's word for severity; anything unrecognised is INFO rather than a guess upwards. */
export function severityFromLabel(label: string | null | undefined): Severity {
  if (!label) return 'INFO';
  return LABELS[label.trim().toLowerCase()] ?? 'INFO';
}

/** CVSS v3/v4 qualitative bands (also used for v2 scores, which have no official "critical"). */
export function severityFromScore(score: number | null | undefined): Severity {
  if (score === null || score === undefined || !Number.isFinite(score) || score <= 0) return 'INFO';
  if (score < 4) return 'LOW';
  if (score < 7) return 'MEDIUM';
  if (score < 9) return 'HIGH';
  return 'CRITICAL';
}
