// Checks of the runtime settings and of a processor's declaration, made before anything connects, so that bad
// configuration stops start-up with a message that names the setting (config loading catches most of it too;
// these checks also guard programmatic callers such as tests and benchmarks).
import { AsmvsError } from '../errors.ts';
import type { Config } from '../config/config.ts';
import type { AnyProcessor } from '../processor.ts';
import { SCHEMA_TOPICS } from '../schemas/registry-files.ts';

export type RuntimeSettings = Config['runtime'];

export function validateRuntime(runtime: RuntimeSettings): void {
  const problems: string[] = [];
  const positiveInt = (name: string, value: number) => {
    if (!Number.isInteger(value) || value < 1)
      problems.push(`${name}: must be a whole number of at least 1, got ${value}`);
  };
  positiveInt('STAGE_CONCURRENCY', runtime.concurrency);
  positiveInt('STAGE_MAX_IN_FLIGHT', runtime.maxInFlight);
  if (runtime.maxTimersInFlight !== undefined) positiveInt('STAGE_MAX_TIMERS_IN_FLIGHT', runtime.maxTimersInFlight);
  positiveInt('RETRY_MAX_ATTEMPTS', runtime.retry.maxAttempts);
  positiveInt('RETRY_BASE_MS', runtime.retry.baseMs);
  positiveInt('RETRY_MAX_MS', runtime.retry.maxMs);
  if (runtime.outageRetryMaxMs !== undefined) positiveInt('OUTAGE_RETRY_MAX_MS', runtime.outageRetryMaxMs);
  if (runtime.group && runtime.group.heartbeatIntervalMs * 3 > runtime.group.sessionTimeoutMs)
    problems.push(
      `KAFKA_HEARTBEAT_INTERVAL_MS: must be at most a third of KAFKA_SESSION_TIMEOUT_MS (${runtime.group.sessionTimeoutMs}), got ${runtime.group.heartbeatIntervalMs}`,
    );
  if (!Number.isFinite(runtime.shutdownDeadlineMs) || runtime.shutdownDeadlineMs < 0) {
    problems.push(`SHUTDOWN_DEADLINE_MS: must be 0 or more milliseconds, got ${runtime.shutdownDeadlineMs}`);
  }
  if (problems.length > 0) throw new AsmvsError('CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`);
}

export function validateProcessor(processor: AnyProcessor): void {
  const topics = new Set<string>(SCHEMA_TOPICS);
  const problems: string[] = [];
  if (!/^[a-z][a-z0-9_]*$/.test(processor.name))
    problems.push(`name ${JSON.stringify(processor.name)} must be snake_case`);
  if (!topics.has(processor.input)) problems.push(`input ${JSON.stringify(processor.input)} is not a known topic`);
  for (const out of processor.outputs)
    if (!topics.has(out)) problems.push(`output ${JSON.stringify(out)} is not a known topic`);
  if (typeof processor.handle !== 'function') problems.push('handle is not a function');
  if (processor.keyed === true && processor.pure === true)
    problems.push('a keyed stage (durable timers and state) cannot be pure: it never runs exactly-once');
  if (problems.length > 0)
    throw new AsmvsError('CONFIG_INVALID', `invalid stage ${processor.name}:\n  ${problems.join('\n  ')}`);
}
