import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobTracker } from '../../src/app/job-tracker.ts';
import { jobStatus } from '../../src/processors/job-status.ts';
import type { JobState } from '../../src/schemas/types.gen.ts';

const status = (stage: string, state: JobState, fields: Parameters<typeof jobStatus>[3] = {}, requestId = 'r1') =>
  jobStatus(stage, requestId, state, fields);

test('completes when every asset and every requested scan has reported', () => {
  const t = new JobTracker('r1');
  assert.equal(t.observe(status('asm_discovery', 'RUNNING')).state, 'running');
  assert.equal(t.observe(status('asm_discovery', 'COMPLETED', { counts: { assets: 2 } })).state, 'running');
  assert.equal(
    t.observe(status('asm_exposure', 'PROGRESS', { subject: 'a1', counts: { scanRequests: 1 } })).state,
    'running',
  );
  assert.equal(
    t.observe(status('asm_exposure', 'PROGRESS', { subject: 'a2', counts: { scanRequests: 0 } })).state,
    'running',
  );
  assert.equal(t.observe(status('vs_scan_trigger', 'RUNNING', { subject: 's1' })).state, 'running');
  const done = t.observe(status('vs_result_fetcher', 'PROGRESS', { subject: 's1' }));
  assert.deepEqual(done, { state: 'completed', summary: '2 assets, 1 scans finished' });
});

test('a redelivered status is counted once', () => {
  const t = new JobTracker('r1');
  t.observe(status('asm_discovery', 'COMPLETED', { counts: { assets: 2 } }));
  t.observe(status('asm_exposure', 'PROGRESS', { subject: 'a1', counts: { scanRequests: 0 } }));
  assert.equal(
    t.observe(status('asm_exposure', 'PROGRESS', { subject: 'a1', counts: { scanRequests: 0 } })).state,
    'running',
  );
});

test('the first FAILED status fails the request with its stage and code', () => {
  const t = new JobTracker('r1');
  const outcome = t.observe(
    status('vs_result_fetcher', 'FAILED', {
      subject: 's1',
      message: 'still running at its deadline',
      errorCode: 'SCAN_DEADLINE_EXCEEDED',
    }),
  );
  assert.deepEqual(outcome, {
    state: 'failed',
    stage: 'vs_result_fetcher',
    reason: 'still running at its deadline [SCAN_DEADLINE_EXCEEDED]',
  });
});

test("other requests' statuses are ignored", () => {
  const t = new JobTracker('r1');
  assert.equal(t.observe(status('asm_discovery', 'FAILED', {}, 'r2')).state, 'running');
  assert.equal(t.observe(status('asm_discovery', 'COMPLETED', { counts: { assets: 0 } })).state, 'completed');
});
