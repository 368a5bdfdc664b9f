// vs_normalization's dependencies: the normalizers and the clock of the scan summary.
import { normalizeRaw } from '../normalizers/index.ts';
import type { NormalizationDeps } from '../processors/vs-normalization.ts';
import type { Wiring } from './wiring.ts';

export function normalizationDeps(w: Wiring): NormalizationDeps {
  return { normalize: (raw, provenance) => normalizeRaw(raw, provenance), now: w.now };
}
