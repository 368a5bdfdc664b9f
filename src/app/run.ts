// `asmvs run`: the stages on Kafka in this process until SIGTERM/SIGINT, then drained (exit 0).
import type { Config } from '../config/config.ts';
import { installSignalHandlers } from '../runtime/signals.ts';
import { startStages } from './run-stages.ts';

export interface RunOptions {
  /** Events at once per stage, for every stage named (`--concurrency`); default: each stage's own. */
  readonly concurrency?: number;
  /** Consumer group id (default asmvs.<stage>); with several stages, <group>.<stage>. */
  readonly groupId?: string;
  /** This copy's id, unique per running copy and stable across its restarts (default: the hostname). */
  readonly instanceId?: string;
}

export async function runUntilStopped(config: Config, stages: readonly string[], options: RunOptions): Promise<void> {
  const running = startStages(config, stages, options);
  // Before anything connects: a SIGTERM during start-up (a registry outage, a slow group join) ends the waits, lets
  // the join finish, leaves the group and exits 0, rather than killing the process with its partitions assigned.
  installSignalHandlers(running, { log: running.log, deadlineMs: config.runtime.shutdownDeadlineMs });
  await running.started;
  await running.done;
}
