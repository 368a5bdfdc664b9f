import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, sleep } from '../../src/runtime/backoff.ts';

const policy = { baseMs: 100, maxMs: 1_000 };

test('doubles per attempt, capped, with jitter between half and the full step', () => {
  assert.equal(
    backoffDelay(1, policy, () => 0),
    50,
  );
  assert.equal(
    backoffDelay(1, policy, () => 1),
    100,
  );
  assert.equal(
    backoffDelay(3, policy, () => 1),
    400,
  );
  assert.equal(
    backoffDelay(10, policy, () => 1),
    1_000,
  );
  assert.equal(
    backoffDelay(10, policy, () => 0),
    500,
  );
  for (let i = 0; i < 100; i += 1) {
    const d = backoffDelay(2, policy);
    assert.ok(d >= 100 && d <= 200, String(d));
  }
});

test('sleep rejects with the abort reason', async () => {
  const c = new AbortController();
  const p = sleep(10_000, c.signal);
  c.abort(new Error('stop'));
  await assert.rejects(p, /stop/);
});
