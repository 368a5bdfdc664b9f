// asm_progress counts each host of a request once, however often and in whatever order it is reported, and knows
// the request is done only when the last chunk is in and every announced host is done.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyProgress,
  doneCount,
  isComplete,
  newProgress,
  type ProgressState,
} from '../../src/discovery/progress-count.ts';
import type { DiscoveryProgress } from '../../src/schemas/types.gen.ts';
import { progressRecord } from '../helpers/progress-records.ts';

const base = progressRecord();
const chunk = (n: number, first: number, items: number, final = false, assets = 0): DiscoveryProgress => ({
  ...base,
  kind: 'EXPANDED',
  chunk: n,
  firstIndex: first,
  items,
  final,
  assets,
});
const host = (index: number, up = false, openPorts = 0, errorCode: string | null = null): DiscoveryProgress => ({
  ...base,
  index,
  up,
  openPorts,
  assets: up ? 1 : 0,
  errorCode,
});

function apply(state: ProgressState, events: DiscoveryProgress[]): ProgressState {
  return events.reduce((s, e) => applyProgress(s, e).state, state);
}

test('hosts finished in any order, with duplicates, are each counted once; done when the last chunk is in', () => {
  const order = Array.from({ length: 300 }, (_, i) => (i * 7919) % 300); // a permutation of 0..299
  let state = apply(newProgress(0), [chunk(0, 0, 128)]);
  for (const [n, i] of order.entries()) {
    state = applyProgress(state, host(i, i % 10 === 0, i % 10 === 0 ? 2 : 0)).state;
    if (n % 3 === 0) assert.equal(applyProgress(state, host(i)).counted, false, `duplicate of ${i}`);
    if (n === 150) state = apply(state, [chunk(1, 128, 128), chunk(0, 0, 128), chunk(2, 256, 44, true)]);
  }
  assert.equal(doneCount(state), 300);
  assert.equal(state.expanded, 300);
  assert.ok(isComplete(state));
  assert.equal(state.low, 300, 'the low-water mark swallowed every index');
  assert.equal(state.above, '');
  assert.deepEqual(state.counts, { up: 30, down: 270, failed: 0, assets: 30, openPorts: 60, unresolved: 0 });
});

test('not complete until the final chunk, even when every announced host is done', () => {
  const state = apply(newProgress(0), [chunk(0, 0, 2), host(0), host(1)]);
  assert.equal(isComplete(state), false);
  assert.ok(isComplete(apply(state, [chunk(1, 2, 0, true, 3)])));
});

test('a host that failed counts as done and failed; hosts reported before their chunk still count', () => {
  const state = apply(newProgress(0), [
    host(1, true, 1),
    host(0, false, 0, 'TARGET_OUT_OF_SCOPE'),
    chunk(0, 0, 2, true),
  ]);
  assert.ok(isComplete(state));
  assert.deepEqual(state.counts, { up: 1, down: 0, failed: 1, assets: 1, openPorts: 1, unresolved: 0 });
});

test('the bitmap stays as wide as what is done out of order, not as the range', () => {
  let state = newProgress(0);
  for (let i = 0; i < 65_536; i++) if (i % 1000 !== 999) state = applyProgress(state, host(i)).state;
  assert.equal(doneCount(state), 65_536 - 65);
  assert.ok(Buffer.from(state.above, 'base64').length <= 8_192);
  for (let i = 999; i < 65_536; i += 1000) state = applyProgress(state, host(i)).state;
  assert.equal(state.low, 65_536);
  assert.equal(state.above, '');
});
