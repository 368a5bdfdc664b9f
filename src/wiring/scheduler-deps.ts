// asm_scheduler's dependencies: the clock and the operator's floor on monitor intervals.
import type { SchedulerDeps } from '../processors/asm-scheduler.ts';
import type { Wiring } from './wiring.ts';

export function schedulerDeps(w: Wiring): SchedulerDeps {
  return { now: w.now, minIntervalMs: w.config.monitoring.minIntervalMs };
}
