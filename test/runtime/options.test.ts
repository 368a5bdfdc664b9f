import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateProcessor, validateRuntime } from '../../src/runtime/options.ts';
import { checkProcessor, describeTopology, stageSpec, STAGES } from '../../src/topology.ts';
import { loadConfig } from '../../src/config/load.ts';
import { echoProcessor } from '../helpers/fixtures/echo-processor.ts';
import { runtimeSettings } from '../helpers/runtime-settings.ts';

const invalid = (pattern: RegExp) => (e: { code?: string; message?: string }) =>
  e.code === 'CONFIG_INVALID' && pattern.test(e.message ?? '');

test('bad runtime settings stop start-up with a message naming the setting', () => {
  assert.throws(() => validateRuntime(runtimeSettings({ concurrency: 0 })), invalid(/STAGE_CONCURRENCY: .*>=1, got 0/));
  assert.throws(
    () => validateRuntime(runtimeSettings({ shutdownDeadlineMs: -1 })),
    invalid(/SHUTDOWN_DEADLINE_MS: .*>=0, got -1/),
  );
  assert.throws(() => loadConfig({ STAGE_CONCURRENCY: '0' }), invalid(/STAGE_CONCURRENCY/));
  assert.throws(() => loadConfig({ SHUTDOWN_DEADLINE_MS: '-5' }), invalid(/SHUTDOWN_DEADLINE_MS/));
  assert.throws(
    () => validateRuntime(runtimeSettings({ maxTimersInFlight: 0 })),
    invalid(/STAGE_MAX_TIMERS_IN_FLIGHT: .*>=1, got 0/),
  );
  assert.throws(() => loadConfig({ STAGE_MAX_TIMERS_IN_FLIGHT: 'many' }), invalid(/STAGE_MAX_TIMERS_IN_FLIGHT/));
  assert.equal(loadConfig({}).runtime.maxTimersInFlight, 50);
  assert.throws(
    () => validateRuntime(runtimeSettings({ timerUnackedBytes: 10 })),
    invalid(/STAGE_TIMER_UNACKED_BYTES: .*>=1024, got 10/),
  );
  assert.equal(loadConfig({}).runtime.timerUnackedBytes, 1_048_576);
  validateRuntime(runtimeSettings());
});

test('a heartbeat longer than a third of the session is refused when the configuration is loaded, and in code', () => {
  assert.throws(
    () => loadConfig({ KAFKA_SESSION_TIMEOUT_MS: '6000', KAFKA_HEARTBEAT_INTERVAL_MS: '2500' }),
    invalid(/KAFKA_HEARTBEAT_INTERVAL_MS: must be at most a third of KAFKA_SESSION_TIMEOUT_MS \(6000\), got 2500/),
  );
  assert.throws(
    () => loadConfig({ KAFKA_HEARTBEAT_INTERVAL_MS: '6000' }),
    invalid(/KAFKA_HEARTBEAT_INTERVAL_MS: must be at most a third of KAFKA_SESSION_TIMEOUT_MS \(15000\)/),
  );
  assert.equal(
    loadConfig({ KAFKA_SESSION_TIMEOUT_MS: '6000', KAFKA_HEARTBEAT_INTERVAL_MS: '2000' }).runtime.group
      ?.heartbeatIntervalMs,
    2000,
  );
  assert.throws(
    () => validateRuntime(runtimeSettings({ group: { sessionTimeoutMs: 9000, heartbeatIntervalMs: 3001 } })),
    invalid(/KAFKA_HEARTBEAT_INTERVAL_MS: must be at most a third/),
  );
});

test('an unknown stage names the known ones', () => {
  assert.throws(
    () => stageSpec('nope'),
    invalid(/unknown stage "nope"; the stages are: asm_scheduler, asm_discovery, .*findings_sink/),
  );
  assert.equal(stageSpec('vs_normalization').pure, true);
  assert.equal(stageSpec('asm_scheduler').keyed, true);
});

test('processors are checked against their declaration', () => {
  validateProcessor(echoProcessor());
  assert.throws(() => validateProcessor({ ...echoProcessor(), input: 'nope' as never }), invalid(/input "nope"/));
  assert.throws(() => checkProcessor(echoProcessor()), invalid(/unknown stage "test_echo"/));
  assert.throws(() => checkProcessor(echoProcessor({ name: 'vs_normalization' })), invalid(/pure is false/));
  // Stated once: even a copy that declares the same topics is not the stage the topology binds.
  assert.throws(
    () => checkProcessor(echoProcessor({ name: 'vs_normalization', pure: true })),
    invalid(/processor vs_normalization is not the one the topology binds/),
  );
  const bound = stageSpec('vs_normalization');
  assert.equal(checkProcessor(bound.processor), bound);
  assert.deepEqual([bound.input, bound.outputs, bound.pure], ['raw-findings', bound.processor.outputs, true]);
});

test('the topology prints every stage and edge', () => {
  const text = describeTopology();
  for (const s of STAGES) assert.match(text, new RegExp(`^${s.name}`, 'm'));
  assert.match(text, /raw-findings: vs_result_fetcher → vs_normalization/);
  assert.match(text, /reads {3}raw-findings {3}\(dead letters → raw-findings\.dlq\)/);
});
