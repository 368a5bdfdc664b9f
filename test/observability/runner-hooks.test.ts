// What the runner reports on each group join, and the readiness gauge a scrape reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createMetrics } from '../../src/observability/metrics.ts';
import { observeAssignment } from '../../src/observability/runner-hooks.ts';

test('a join counts a rebalance, sets the partitions owned and drops the lag of partitions lost', async () => {
  const m = createMetrics();
  observeAssignment(m, 's', 'raw-findings', new Set([0, 1, 2]));
  for (const p of [0, 1, 2]) m.lag.set({ stage: 's', topic: 'raw-findings', partition: String(p) }, 10);
  observeAssignment(m, 's', 'raw-findings', new Set([1]));
  const text = await m.registry.metrics();
  assert.match(text, /^asmvs_rebalances_total\{stage="s"\} 2$/m);
  assert.match(text, /^asmvs_partitions_assigned\{stage="s"\} 1$/m);
  assert.deepEqual(text.match(/^asmvs_consumer_lag\{[^}]*\}/gm), [
    'asmvs_consumer_lag{stage="s",topic="raw-findings",partition="1"}',
  ]);
});

test('asmvs_stage_ready follows the stage readiness at each scrape', async () => {
  const m = createMetrics();
  let ready = false;
  m.watchReadiness('s', () => ready);
  assert.match(await m.registry.metrics(), /^asmvs_stage_ready\{stage="s"\} 0$/m);
  ready = true;
  assert.match(await m.registry.metrics(), /^asmvs_stage_ready\{stage="s"\} 1$/m);
});
