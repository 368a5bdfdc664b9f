// A host_scan copy learns a request's ping timeout from the HOST_DONE records of every copy: those of hosts that
// answered, and only those (a down host, a chunk record or a record written before rttMs existed teach nothing).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { learnFromProgress } from '../../src/app/follow-ping-timings.ts';
import { requestTimings } from '../../src/scanners/tcp/request-timings.ts';
import { progressRecord } from '../helpers/progress-records.ts';

const hostDone = progressRecord({
  producer: { stage: 'host_scan', version: '0' },
  index: 5,
  address: '198.18.0.5',
  up: true,
  openPorts: 1,
  assets: 1,
  rttMs: 0.4,
});
const options = { initialMs: 1_000, minMs: 100, maxMs: 3_000 };

test('a live host reported by another copy shortens this copy’s timeout for that request', () => {
  const timings = requestTimings(options);
  learnFromProgress(timings, hostDone);
  assert.equal(timings.forHost('r', 9).timeoutMs(), 100);
});

test('down hosts, chunks and records without a round trip teach nothing', () => {
  const timings = requestTimings(options);
  learnFromProgress(timings, { ...hostDone, up: false, rttMs: null });
  learnFromProgress(timings, { ...hostDone, rttMs: null }); // up with ping off, or written by an older host_scan
  learnFromProgress(timings, { ...hostDone, kind: 'EXPANDED' });
  assert.equal(timings.forHost('r', 9).timeoutMs(), 1_000);
});
