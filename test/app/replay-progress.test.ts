import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatProgress, replayProgress } from '../../src/app/replay-progress.ts';

const ranges = [
  { partition: 0, start: 10n, end: 20n },
  { partition: 1, start: 0n, end: 0n },
  { partition: 2, start: 5n, end: 15n },
];

test('progress counts committed positions inside each range', () => {
  const p = replayProgress(
    ranges,
    new Map([
      [0, 15n],
      [2, 5n],
    ]),
    2_000,
  );
  assert.deepEqual({ done: p.done, total: p.total, finished: p.finished }, { done: 5, total: 20, finished: false });
  assert.equal(p.ratePerSecond, 2.5);
  assert.equal(p.etaSeconds, 6);
  assert.equal(formatProgress(p), '5/20 raw findings, 3/s, ETA 6 s');
});

test('no commit yet (-1) counts as the start; past the end counts as the end', () => {
  const p = replayProgress(
    ranges,
    new Map([
      [0, -1n],
      [2, 99n],
    ]),
    1_000,
  );
  assert.equal(p.done, 10);
  assert.equal(
    replayProgress(
      ranges,
      new Map([
        [0, 20n],
        [2, 15n],
      ]),
      1_000,
    ).finished,
    true,
  );
});

test('nothing done yet: the ETA is unknown', () => {
  assert.equal(replayProgress(ranges, new Map(), 1_000).etaSeconds, null);
});
