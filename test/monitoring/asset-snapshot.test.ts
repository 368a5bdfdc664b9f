import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KEYED_LIMITS } from '../../src/runtime/keyed/key-entry.ts';
import { clipText, readSnapshot, snapshotOf, SNAPSHOT_LIMITS } from '../../src/monitoring/asset-snapshot.ts';
import type { Exposure } from '../../src/schemas/types.gen.ts';
import { asset, service, T0, tls } from '../helpers/exposure-harness.ts';

const exposure: Exposure = { level: 'INTERNAL', score: 12, tags: [], reasons: [] };
const none = { expiring: [], monitorEveryMs: null };

test('keeps the open services by port/protocol in port order, with what change detection compares', () => {
  const s = snapshotOf(
    asset(T0, [
      service(6379, { service: 'redis', product: 'Redis', version: '7.2.4', banner: 'x'.repeat(500) }),
      service(53, { protocol: 'UDP', service: 'dns' }),
      service(25, { state: 'filtered' }),
      service(443, { tls: tls('AB'.repeat(32), T0 + 5) }),
      service(6379, { service: 'duplicate' }),
    ]),
    exposure,
    { expiring: [], monitorEveryMs: 60_000 },
  );
  assert.deepEqual(Object.keys(s.services), ['53/udp', '443/tcp', '6379/tcp']);
  assert.deepEqual(s.services['6379/tcp'], {
    service: 'redis',
    product: 'Redis',
    version: '7.2.4',
    cert: null,
    notAfter: null,
  });
  assert.deepEqual(s.services['443/tcp'], {
    service: null,
    product: null,
    version: null,
    cert: 'ab'.repeat(32),
    notAfter: T0 + 5,
  });
  assert.deepEqual([s.level, s.score, s.monitorEveryMs, s.gone, s.untracked], ['INTERNAL', 12, 60_000, false, 0]);
  assert.deepEqual(readSnapshot(JSON.parse(JSON.stringify(s))), s);
  assert.equal(readSnapshot({ everyMs: 5 }), undefined, 'another shape reads as no state');
});

test('scanner text is kept without control or format characters and cut to the limit', () => {
  assert.equal(clipText(' Apache\u0000 httpd\u202e '), 'Apache httpd');
  assert.equal(clipText('\u0007'), null);
  assert.equal(Array.from(clipText('😀'.repeat(100)) ?? '').length, SNAPSHOT_LIMITS.text);
});

test('an asset with thousands of services and long text stays well under the keyed-state limit', () => {
  const long = '"\\é😀\u2028'.repeat(80);
  const services = Array.from({ length: 3000 }, (_, i) =>
    service(i + 1, { service: long, product: long, version: long, tls: tls('f'.repeat(64) + i, T0) }),
  );
  const expiring = Array.from({ length: 500 }, (_, i) => `${'e'.repeat(64)}${i}`);
  const s = snapshotOf(asset(T0, services, { value: long }), exposure, { expiring, monitorEveryMs: null });
  const bytes = Buffer.byteLength(JSON.stringify(s));
  assert.ok(bytes <= SNAPSHOT_LIMITS.bytes && bytes < KEYED_LIMITS.stateBytes, `${bytes} bytes`);
  const kept = Object.keys(s.services).length;
  assert.ok(kept > 0 && kept <= SNAPSHOT_LIMITS.services, `${kept} kept`);
  assert.equal(kept + s.untracked, 3000, 'what was left out is counted');
  assert.equal(Object.keys(s.services)[0], '1/tcp', 'the lowest ports are kept');
  assert.ok(s.expiring.length <= SNAPSHOT_LIMITS.reported);

  const plain = snapshotOf(
    asset(
      T0,
      services.map((x) => ({ ...x, service: 'http', product: null, version: null })),
    ),
    exposure,
    none,
  );
  assert.equal(Object.keys(plain.services).length, SNAPSHOT_LIMITS.services, 'short text: the count cap applies');
});

test('remembers the reported certificates still presented before older ones', () => {
  const old = Array.from({ length: SNAPSHOT_LIMITS.reported }, (_, i) => `old${i}`);
  const s = snapshotOf(asset(T0, [service(443, { tls: tls('cafe', T0) })]), exposure, {
    expiring: [...old, 'cafe'],
    monitorEveryMs: null,
  });
  assert.equal(s.expiring[0], 'cafe');
  assert.equal(s.expiring.length, SNAPSHOT_LIMITS.reported);
});
