// asm_progress's dependencies: the clock and how often a running request reports.
import type { ProgressDeps } from '../processors/asm-progress.ts';
import type { Wiring } from './wiring.ts';

export function progressDeps(w: Wiring): ProgressDeps {
  return { now: w.now, reportEveryMs: w.config.discovery.progressReportMs };
}
