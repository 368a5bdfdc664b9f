import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration } from '../src/durations.ts';

test('durations parse strictly and format back', () => {
  assert.equal(parseDuration('24h'), 86_400_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration(' 90s '), 90_000);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('2w'), 14 * 86_400_000);
  for (const bad of ['', '24', 'h', '1.5h', '-1h', '24 h', '1h 30m', '10x', '1h30', 'Infinityh', '9'.repeat(30) + 'd'])
    assert.throws(() => parseDuration(bad), /is not a duration; write a whole number and a unit/, bad);
  assert.equal(formatDuration(86_400_000), '1d');
  assert.equal(formatDuration(5_400_000), '1h30m');
  assert.equal(formatDuration(1_500), '1s500ms');
  assert.equal(formatDuration(0), '0s');
});
