import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRescanPolicy, rescanInterval } from '../../src/monitoring/rescan-policy.ts';
import { nextDue, missedRounds } from '../../src/monitoring/next-due.ts';
import { loadConfig } from '../../src/config/load.ts';

const H = 3_600_000;

test('the first matching rule gives the interval', () => {
  const rules = parseRescanPolicy('tag:database=12h, score:70=1d, level:low=30d, *=7d', H);
  const at = (tags: string[], score: number, level: string) => rescanInterval(rules, { tags, score, level });
  assert.equal(at(['database', 'web'], 10, 'LOW'), 12 * H);
  assert.equal(at(['web'], 75, 'HIGH'), 24 * H);
  assert.equal(at([], 5, 'LOW'), 30 * 24 * H);
  assert.equal(at([], 5, 'MEDIUM'), 7 * 24 * H);
  assert.equal(rescanInterval(parseRescanPolicy('tag:tls=1d', H), { tags: [], score: 0, level: 'LOW' }), undefined);
  assert.deepEqual(parseRescanPolicy('off', H), []);
  assert.deepEqual(parseRescanPolicy('  ', H), []);
});

test('a malformed rule or one below the floor is refused, naming the rule', () => {
  assert.throws(() => parseRescanPolicy('tag:db', H), /rule "tag:db": expected <selector>=<duration>/);
  assert.throws(() => parseRescanPolicy('score:200=1d', H), /score must be a whole number from 0 to 100/);
  assert.throws(() => parseRescanPolicy('port:22=1d', H), /unknown selector/);
  assert.throws(() => parseRescanPolicy('*=soon', H), /"soon" is not a duration/);
  assert.throws(() => parseRescanPolicy('*=10m', H), /below the minimum of 3600000 ms/);
});

test('RESCAN_POLICY is validated once, with the config', () => {
  assert.throws(
    () => loadConfig({ RESCAN_POLICY: '*=1m', MONITOR_MIN_INTERVAL_MS: '3600000' }),
    /RESCAN_POLICY: rule "\*=1m": the interval is below the minimum/,
  );
  assert.equal(loadConfig({ RESCAN_POLICY: 'tag:web=2h' }).monitoring.rescanPolicy[0]?.everyMs, 2 * H);
});

test('the next round stays on the grid and skips missed rounds', () => {
  assert.equal(nextDue(1000, 100, 1050), 1100);
  assert.equal(nextDue(1000, 100, 1100), 1200);
  assert.equal(nextDue(1000, 100, 1999), 2000);
  assert.equal(missedRounds(1000, 100, 1050), 0);
  assert.equal(missedRounds(1000, 100, 1350), 3);
  assert.throws(() => nextDue(0, 0, 1), RangeError);
});
