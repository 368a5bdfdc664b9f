import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JobTracker } from '../../src/app/job-tracker.ts';
import { AsmvsError } from '../../src/errors.ts';
import {
  assetJudged,
  hostsReport,
  scanFetched,
  scanNormalized,
  scanStarted,
  stageFailed,
  type HostCounts,
} from '../../src/processors/job-events.ts';

const counts = (c: Partial<HostCounts>): HostCounts => ({
  addresses: 4,
  done: 4,
  up: 2,
  down: 2,
  failed: 0,
  assets: 2,
  openPorts: 3,
  unresolved: 0,
  ...c,
});
const hosts = (complete: boolean, c: Partial<HostCounts> = {}, requestId = 'r1') =>
  hostsReport(requestId, { complete, total: complete ? 4 : null, counts: counts(c), message: 'hosts' }, 1);
const normalized = (scanId: string, raw: string, findings = 2) =>
  scanNormalized('r1', { scanId, rawEventId: raw, findings, message: 'n' }, 1);

test('a discovery completes when every host is counted, every asset judged and every scan normalized', () => {
  const t = new JobTracker('r1');
  assert.equal(t.observe(hosts(false, { done: 2 })).state, 'running');
  assert.equal(t.observe(hosts(true)).state, 'running', 'assets not judged yet');
  t.observe(assetJudged('r1', { assetId: 'a1', scanRequested: true, message: '' }, 1));
  assert.equal(t.observe(assetJudged('r1', { assetId: 'a2', scanRequested: false, message: '' }, 1)).state, 'running');
  t.observe(scanStarted('r1', 's1', '', 1));
  assert.equal(t.observe(scanFetched('r1', { scanId: 's1', outputs: 2, message: '' }, 1)).state, 'running');
  assert.equal(t.observe(normalized('s1', 'raw-1')).state, 'running', 'one report of two: not done');
  assert.equal(t.observe(normalized('s1', 'raw-1')).state, 'running', 'a redelivered report counts once');
  assert.deepEqual(t.observe(normalized('s1', 'raw-2', 3)), {
    state: 'completed',
    summary: '4 addresses (2 up, 2 down), 2 assets, 1 scans finished, 5 findings',
  });
});

test('raw output alone does not complete a scan: its normalization does', () => {
  const t = new JobTracker('r1', 'scan');
  t.observe(scanStarted('r1', 's1', '', 1));
  assert.equal(t.observe(scanFetched('r1', { scanId: 's1', outputs: 1, message: '' }, 1)).state, 'running');
  assert.equal(t.observe(normalized('s1', 'raw-1')).state, 'completed');
});

test('a late progress report after COMPLETED does not reopen the host count', () => {
  const t = new JobTracker('r1');
  t.observe(hosts(true, { assets: 0 }));
  assert.equal(t.observe(hosts(false, { done: 3, assets: 0 })).state, 'completed');
  assert.equal(t.hosts?.complete, true);
});

test('the first FAILED status fails the request with its stage and code', () => {
  const t = new JobTracker('r1');
  const error = new AsmvsError('SCAN_DEADLINE_EXCEEDED', 'still running at its deadline');
  assert.deepEqual(t.observe(stageFailed('vs_result_fetcher', 'r1', error, 1, 's1')), {
    state: 'failed',
    stage: 'vs_result_fetcher',
    reason: 'still running at its deadline [SCAN_DEADLINE_EXCEEDED]',
  });
});

test("other requests' statuses are ignored", () => {
  const t = new JobTracker('r1');
  assert.equal(t.observe(hosts(true, { assets: 0 }, 'r2')).state, 'running');
  assert.equal(t.observe(hosts(true, { assets: 0 })).state, 'completed');
});
