import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRetryAfter, retryDelayMs } from '../../src/platform/retry-policy.ts';

const policy = { maxAttempts: 5, baseMs: 100, maxMs: 1_000 };

test('Retry-After in seconds or as an HTTP date', () => {
  assert.equal(parseRetryAfter('3'), 3_000);
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:02 GMT', now), 2_000);
  assert.equal(parseRetryAfter('soon'), undefined);
  assert.equal(parseRetryAfter(undefined), undefined);
});

test('backoff doubles per attempt within [ceiling/2, ceiling] and is capped', () => {
  assert.equal(
    retryDelayMs(policy, 1, undefined, 0, () => 0),
    50,
  );
  assert.equal(
    retryDelayMs(policy, 3, undefined, 0, () => 1),
    400,
  );
  assert.equal(
    retryDelayMs(policy, 10, undefined, 0, () => 1),
    1_000,
  );
});

test("the server's Retry-After wins, capped by the policy", () => {
  assert.equal(retryDelayMs(policy, 1, '0'), 0);
  assert.equal(retryDelayMs(policy, 1, '120'), 1_000);
});
