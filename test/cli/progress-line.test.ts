import { test } from 'node:test';
import assert from 'node:assert/strict';
import { progressLine } from '../../src/cli/progress-line.ts';

const counts = { addresses: 256, done: 64, up: 3, down: 61, failed: 0, assets: 3, openPorts: 9, unresolved: 0 };

test('hosts done of the total, up, open ports and the time left at the pace so far', () => {
  assert.equal(progressLine(counts, 256, 10_000), 'hosts 64/256 · 3 up · 9 open ports · ETA 30s · 10s elapsed');
  assert.equal(
    progressLine({ ...counts, done: 1, failed: 2 }, 65_536, 5_000),
    'hosts 1/65536 · 3 up · 9 open ports · 2 failed · ETA 91h01m · 5s elapsed',
  );
});

test('while the expansion is still going, the total is a lower bound and no ETA is guessed', () => {
  assert.equal(progressLine(counts, null, 2_000), 'hosts 64/256+ · 3 up · 9 open ports · 2s elapsed');
});
