// `asmvs run`: the stages on Kafka in this process until SIGTERM/SIGINT, then drained (exit 0).
import type { Config } from '../config/config.ts';
import { installSignalHandlers } from '../runtime/signals.ts';
import { runStages } from './run-stages.ts';

export interface RunOptions {
  /** Events at once per stage, for every stage named (`--concurrency`); default: each stage's own. */
  readonly concurrency?: number;
  /** Consumer group id (default asmvs.<stage>); with several stages, <group>.<stage>. */
  readonly groupId?: string;
  /** This copy's id, unique per running copy and stable across its restarts (default: the hostname). */
  readonly instanceId?: string;
}

export async function runUntilStopped(config: Config, stages: readonly string[], options: RunOptions): Promise<void> {
  const running = await runStages(config, stages, options);
  installSignalHandlers(running, { log: running.log, deadlineMs: config.runtime.shutdownDeadlineMs });
  await running.done;
}
