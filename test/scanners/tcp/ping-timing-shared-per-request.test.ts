import { test } from 'node:test';
import assert from 'node:assert/strict';
import { requestTimings } from '../../../src/scanners/tcp/request-timings.ts';

const options = { initialMs: 1_000, minMs: 100, maxMs: 3_000 };

test('a request starts at the initial timeout and learns from another copy’s answers', () => {
  const timings = requestTimings(options);
  const host = timings.forHost('r1', 7);
  assert.equal(host.timeoutMs(), 1_000);
  timings.learn('r1', 3, 1); // another copy's live host answered in 1 ms
  assert.equal(host.timeoutMs(), 100, 'a host already pinging sees the shorter timeout (clamped to the minimum)');
  assert.equal(timings.forHost('r1', 8).timeoutMs(), 100);
});

test('requests are timed apart: one request’s answers do not shorten another’s timeout', () => {
  const timings = requestTimings(options);
  timings.learn('near', 0, 1);
  assert.equal(timings.forHost('near', 1).timeoutMs(), 100);
  assert.equal(timings.forHost('far', 1).timeoutMs(), 1_000);
});

test('this copy’s own answer is learnt at once and not counted again when its HOST_DONE comes back', () => {
  const own = requestTimings(options);
  own.forHost('r', 1).observe(400);
  own.learn('r', 1, 400); // the same answer, read back from discovery-progress
  own.learn('r', 2, 40);

  const once = requestTimings(options);
  once.forHost('r', 1).observe(400);
  once.learn('r', 2, 40);
  assert.equal(own.forHost('r', 9).timeoutMs(), once.forHost('r', 9).timeoutMs());
});

test('the least recently used request is forgotten past maxRequests', () => {
  const timings = requestTimings({ ...options, maxRequests: 2 });
  timings.learn('a', 0, 1);
  timings.learn('b', 0, 1);
  timings.forHost('a', 1); // a is used again: b is now the oldest
  timings.learn('c', 0, 1);
  assert.equal(timings.forHost('a', 2).timeoutMs(), 100);
  assert.equal(timings.forHost('b', 2).timeoutMs(), 1_000, 'b was forgotten and starts again');
});

test('own answers awaiting their HOST_DONE are bounded (the oldest may then count twice)', () => {
  const timings = requestTimings({ ...options, maxOwnPending: 2 });
  for (const index of [1, 2, 3]) timings.forHost('r', index).observe(50);
  const before = timings.forHost('r', 9).timeoutMs();
  timings.learn('r', 3, 50); // still pending: skipped
  assert.equal(timings.forHost('r', 9).timeoutMs(), before);
  timings.learn('r', 1, 5_000); // forgotten as pending: counted
  assert.ok(timings.forHost('r', 9).timeoutMs() > before);
});
