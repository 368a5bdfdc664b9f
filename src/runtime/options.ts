// Checks of the runtime settings and of a processor's declaration, made before anything connects, so that bad
// configuration stops start-up with a message that names the setting. Settings loaded by loadConfig are valid
// already; runtime settings built in code (tests, benchmarks, embedders) are checked by the same schema.
import { AsmvsError } from '../errors.ts';
import type { Config } from '../config/config.ts';
import { crossSettingProblems, settingsSchema, type SettingName } from '../config/schema.ts';
import type { AnyProcessor } from '../processor.ts';
import { SCHEMA_TOPICS } from '../schemas/registry-files.ts';

export type RuntimeSettings = Config['runtime'];

/** The runtime settings under the names the configuration gives them. */
function asSettings(r: RuntimeSettings): Partial<Record<SettingName, number>> {
  return {
    STAGE_CONCURRENCY: r.concurrency,
    STAGE_MAX_IN_FLIGHT: r.maxInFlight,
    STAGE_MAX_TIMERS_IN_FLIGHT: r.maxTimersInFlight,
    STAGE_TIMER_UNACKED_BYTES: r.timerUnackedBytes,
    RETRY_MAX_ATTEMPTS: r.retry.maxAttempts,
    RETRY_BASE_MS: r.retry.baseMs,
    RETRY_MAX_MS: r.retry.maxMs,
    OUTAGE_RETRY_MAX_MS: r.outageRetryMaxMs,
    KAFKA_SESSION_TIMEOUT_MS: r.group?.sessionTimeoutMs,
    KAFKA_HEARTBEAT_INTERVAL_MS: r.group?.heartbeatIntervalMs,
    SHUTDOWN_DEADLINE_MS: r.shutdownDeadlineMs,
  };
}

/** Checks settings that did not come through loadConfig against the same schema, each rule stated once there. */
export function validateRuntime(runtime: RuntimeSettings): void {
  const settings = asSettings(runtime);
  const problems: string[] = [];
  for (const [name, value] of Object.entries(settings) as [SettingName, number | undefined][]) {
    if (value === undefined) continue;
    const checked = settingsSchema.shape[name].safeParse(String(value));
    if (!checked.success) problems.push(`${name}: ${checked.error.issues[0]?.message ?? 'invalid'}, got ${value}`);
  }
  if (runtime.group) for (const p of crossSettingProblems(settings)) problems.push(`${p.name}: ${p.problem}`);
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
