// Building monitor events: canonical ids, the interval and its floor, scope by name only, labels; and the fold of the
// monitors topic into the active list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MonitorFold,
  monitorAddition,
  monitorIdOf,
  monitorRemoval,
  type MonitorEnv,
  type MonitorOptions,
} from '../../src/app/monitors.ts';
import { isAsmvsError, type ErrorCode } from '../../src/errors.ts';

const HOUR = 3_600_000;
const env = (scope: { allow?: string[]; deny?: string[] } = {}): MonitorEnv => ({
  operatorScope: { allow: scope.allow ?? [], deny: scope.deny ?? [], allowMetadata: false, maxAddresses: 65_536 },
  minIntervalMs: HOUR,
  now: 1_700_000_000_000,
});
const options: MonitorOptions = {
  every: '24h',
  scope: null,
  ports: null,
  profile: 'default',
  scanAfterDiscovery: true,
  labels: [],
};

function refused(code: ErrorCode, message: RegExp) {
  return (error: unknown) => isAsmvsError(error) && error.code === code && message.test(error.message);
}

test('an ADD carries the canonical target as its id and the interval in ms', () => {
  const event = monitorAddition('WWW.Example.ORG.', { ...options, labels: ['team=web', 'tier=a=b'] }, env());
  assert.equal(event.action, 'ADD');
  assert.equal(event.monitorId, 'www.example.org');
  assert.equal(event.target, 'www.example.org');
  assert.equal(event.everyMs, 24 * HOUR);
  assert.equal(event.producedAt, env().now);
  assert.deepEqual(event.labels, { team: 'web', tier: 'a=b' });
  assert.equal(event.producer.stage, 'cli');
});

test('address and network spellings canonicalise', () => {
  assert.equal(monitorAddition('0x7f000001', options, env()).monitorId, '127.0.0.1');
  assert.equal(monitorAddition('::ffff:127.0.0.1', options, env()).monitorId, '127.0.0.1');
  assert.equal(monitorAddition('192.0.2.7/24', options, env()).monitorId, '192.0.2.0/24');
  assert.equal(monitorIdOf('Example.org.'), 'example.org');
  assert.equal(monitorIdOf('not a target!'), 'not a target!');
});

test('a malformed interval is a usage error that shows the accepted form', () => {
  for (const every of ['24', 'daily', '1.5h', '', '0s'])
    assert.throws(() => monitorAddition('example.org', { ...options, every }, env()), refused('USAGE', /--every/));
  assert.throws(
    () => monitorAddition('example.org', { ...options, every: '24x' }, env()),
    refused('USAGE', /e\.g\. 90s, 15m, 24h/),
  );
});

test("an interval below the operator's minimum is refused, naming the minimum", () => {
  assert.throws(
    () => monitorAddition('example.org', { ...options, every: '59m' }, env()),
    refused('USAGE', /59m is below the operator's minimum interval of 1h \(MONITOR_MIN_INTERVAL_MS\)/),
  );
  assert.equal(monitorAddition('example.org', { ...options, every: '1h' }, env()).everyMs, HOUR);
});

test('out-of-scope targets are refused with the reason', () => {
  const cases: [string, MonitorEnv, MonitorOptions, RegExp][] = [
    ['169.254.169.254', env(), options, /cloud-metadata/],
    ['10.1.2.3', env({ deny: ['10.0.0.0/8'] }), options, /denied by the operator deny-list/],
    ['10.1.2.3', env({ allow: ['192.0.2.0/24'] }), options, /not in the operator allow-list/],
    ['a.example.org', env({ deny: ['example.org'] }), options, /denied by the operator deny-list/],
    ['evil.test', env({ allow: ['example.org'] }), options, /not in the operator allow-list/],
    [
      'dev.example.org',
      env(),
      { ...options, scope: { allow: ['example.org'], deny: ['dev.example.org'] } },
      /denied by the request deny-list/,
    ],
    ['other.test', env(), { ...options, scope: { allow: ['example.org'], deny: [] } }, /not in the request allow-list/],
    ['192.0.2.0/24', env({ allow: ['192.0.2.0/25'] }), options, /not inside the operator allow-list/],
  ];
  for (const [target, e, o, reason] of cases)
    assert.throws(() => monitorAddition(target, o, e), refused('TARGET_OUT_OF_SCOPE', reason), target);
});

test('a hostname under an allow-list with networks is left to where it resolves (no DNS here)', () => {
  const event = monitorAddition('anything.test', options, env({ allow: ['192.0.2.0/24', 'example.org'] }));
  assert.equal(event.monitorId, 'anything.test');
  assert.equal(monitorAddition('www.example.org', options, env({ allow: ['example.org'] })).target, 'www.example.org');
});

test('bad targets, URLs, ports, profiles and labels are refused', () => {
  assert.throws(() => monitorAddition('not_a host', options, env()), refused('TARGET_INVALID', /whitespace/));
  assert.throws(() => monitorAddition('https://example.org/', options, env()), refused('TARGET_INVALID', /not a URL/));
  assert.throws(() => monitorAddition('10.0.0.0/8', options, env()), refused('TARGET_TOO_LARGE', /SCOPE_MAX/));
  assert.throws(
    () => monitorAddition('example.org', { ...options, ports: '80,70000' }, env()),
    refused('TARGET_INVALID', /outside 1-65535/),
  );
  assert.throws(
    () => monitorAddition('example.org', { ...options, profile: 'huge' }, env()),
    refused('USAGE', /unknown profile/),
  );
  assert.throws(
    () => monitorAddition('example.org', { ...options, labels: ['=x'] }, env()),
    refused('USAGE', /key=value/),
  );
  assert.throws(
    () => monitorAddition('example.org', { ...options, labels: ['asmvs.monitor=x'] }, env()),
    refused('USAGE', /reserved/),
  );
});

test('the fold keeps the latest event per monitor and drops removed ones', () => {
  const fold = new MonitorFold();
  const a = monitorAddition('b.example.org', options, env());
  const b = monitorAddition('a.example.org', options, env());
  const a2 = monitorAddition('b.example.org', { ...options, every: '2d' }, env());
  for (const event of [a, b, a2, monitorRemoval(b, env().now + 1)]) fold.apply(event);
  assert.deepEqual(
    fold.list().map((m) => [m.target, m.everyMs]),
    [['b.example.org', 48 * HOUR]],
  );
  assert.equal(fold.get('a.example.org'), undefined);
  fold.apply(b);
  assert.deepEqual(
    fold.list().map((m) => m.target),
    ['a.example.org', 'b.example.org'],
    'added again after a removal, sorted by target',
  );
});

test('a REMOVE keeps the target and id and has no interval', () => {
  const active = monitorAddition('example.org', options, env());
  const removal = monitorRemoval(active, env().now + 5);
  assert.equal(removal.action, 'REMOVE');
  assert.equal(removal.monitorId, 'example.org');
  assert.equal(removal.everyMs, 0);
  assert.notEqual(removal.eventId, active.eventId);
  assert.equal(removal.producedAt, env().now + 5);
});
