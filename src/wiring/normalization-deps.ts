// vs_normalization's dependencies: the normalizers (pure: no clock).
import { normalizeRaw } from '../normalizers/index.ts';
import type { NormalizationDeps } from '../processors/vs-normalization.ts';

export function normalizationDeps(): NormalizationDeps {
  // A pure stage reads no clock: findings are stamped with when their scan finished.
  return { normalize: (raw, provenance) => normalizeRaw(raw, provenance, { now: raw.finishedAt }) };
}
