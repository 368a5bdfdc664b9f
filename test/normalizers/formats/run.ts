// Normalizes a fixture report as vs_normalization would (one raw event), for the per-format tests.
import { normalizeRaw } from '../../../src/normalizers/index.ts';
import type { NormalizeResult } from '../../../src/normalizers/index.ts';
import type { Finding } from '../../../src/schemas/types.gen.ts';
import { NOW, PROVENANCE, fixture, rawOf } from '../raw.ts';

export function run(file: string, format = ''): NormalizeResult {
  return normalizeRaw(rawOf(fixture(file), { format }), PROVENANCE, { now: NOW });
}

/** One line per finding: type, severity, rule, status, occurrences. */
export const summary = (fs: readonly Finding[]): string[] =>
  fs.map((f) => `${f.findingType} ${f.severity} ${f.ruleId} ${f.status} x${f.occurrences}`);

export function byRule(fs: readonly Finding[], ruleId: string, n = 0): Finding {
  const f = fs.filter((x) => x.ruleId === ruleId)[n];
  if (!f) throw new Error(`no finding ${ruleId} #${n}`);
  return f;
}
