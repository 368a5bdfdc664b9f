// asm_exposure's change detection on one asset, observation after observation: what each one reports on
// asset-changes, with which ids, and which timers it leaves (the runner's part is simulated by the harness).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asset, changesOf, DAY, ExposureHarness, HOUR, lines, service, T0, tls } from '../helpers/exposure-harness.ts';

const ssh = service(22, { service: 'ssh', product: 'OpenSSH', version: '9.6' });
const redis = service(6379, { service: 'redis', product: 'Redis', version: '7.2.4' });

test('a first sighting is one ASSET_APPEARED that summarises the asset, not a PORT_OPENED per port', async () => {
  const h = new ExposureHarness({});
  const out = await h.observe(asset(T0, [ssh, redis]));
  assert.deepEqual(lines(changesOf(out)), [
    'ASSET_APPEARED 127.0.0.1: ∅ → INTERNAL score 37; 2 open: 22/tcp ssh OpenSSH 9.6, 6379/tcp redis Redis 7.2.4',
  ]);
  const [appeared] = changesOf(out);
  assert.equal(appeared?.requestId, 'req-' + T0, 'the request that saw it');
  assert.equal(appeared?.assetId, 'asset-1');
  assert.equal(appeared?.observedAt, T0);
  assert.equal(out.find((e) => e.topic === 'asset-changes')?.key, 'asset-1');
  assert.deepEqual(h.timers(), [], 'no rescan policy, not monitored: no timers');
});

test('a port opened between two rounds is exactly one PORT_OPENED; closing it is exactly one PORT_CLOSED', async () => {
  const h = new ExposureHarness({});
  await h.observe(asset(T0, [ssh]));
  const opened = changesOf(await h.observe(asset(T0 + HOUR, [ssh, redis])));
  assert.deepEqual(lines(opened), ['PORT_OPENED 127.0.0.1:6379/tcp: ∅ → redis Redis 7.2.4']);
  assert.equal(opened[0]?.requestId, `req-${T0 + HOUR}`);
  assert.equal(opened[0]?.observedAt, T0 + HOUR);
  assert.deepEqual(changesOf(await h.observe(asset(T0 + 2 * HOUR, [redis, ssh]))), [], 'unchanged: nothing');
  const closed = changesOf(await h.observe(asset(T0 + 3 * HOUR, [ssh])));
  assert.deepEqual(lines(closed), ['PORT_CLOSED 127.0.0.1:6379/tcp: redis Redis 7.2.4 → ∅']);
});

test('a service or version change is SERVICE_CHANGED; a new certificate is CERTIFICATE_CHANGED', async () => {
  const h = new ExposureHarness({ monitoring: { certWarningMs: 0 } });
  const later = T0 + 365 * DAY;
  await h.observe(asset(T0, [redis, service(443, { service: 'https', tls: tls('aa'.repeat(32), later) })]));
  const changed = changesOf(
    await h.observe(
      asset(T0 + HOUR, [
        { ...redis, version: '7.4.0' },
        service(443, { service: 'https', tls: tls('BB'.repeat(32), later) }),
      ]),
    ),
  );
  assert.deepEqual(lines(changed), [
    'CERTIFICATE_CHANGED 127.0.0.1:443/tcp: ' +
      `sha256:${'aa'.repeat(32)} notAfter 2027-03-01T00:00:00.000Z → sha256:${'bb'.repeat(32)} notAfter 2027-03-01T00:00:00.000Z`,
    'SERVICE_CHANGED 127.0.0.1:6379/tcp: redis Redis 7.2.4 → redis Redis 7.4.0',
  ]);
});

test('an exposure level change is EXPOSURE_CHANGED with the level and score before and after', async () => {
  const h = new ExposureHarness({});
  await h.observe(asset(T0, [redis], { value: 'db.example.test', kind: 'DOMAIN', addresses: ['10.0.0.5'] }));
  const out = await h.observe(
    asset(T0 + HOUR, [redis], { value: 'db.example.test', kind: 'DOMAIN', addresses: ['10.0.0.5', '93.184.216.34'] }),
  );
  assert.deepEqual(lines(changesOf(out)), ['EXPOSURE_CHANGED db.example.test: INTERNAL score 26 → PUBLIC score 56']);
});

test('a redelivered asset reports nothing new, and the same observations give the same ids', async () => {
  const run = async () => {
    const h = new ExposureHarness({});
    const first = changesOf(await h.observe(asset(T0, [ssh])));
    const second = changesOf(await h.observe(asset(T0 + HOUR, [ssh, redis])));
    const redelivered = changesOf(await h.observe(asset(T0 + HOUR, [ssh, redis])));
    return { ids: [...first, ...second].map((c) => [c.changeId, c.eventId]), redelivered };
  };
  const a = await run();
  const b = await run();
  assert.deepEqual(a.redelivered, []);
  assert.equal(a.ids.length, 2);
  assert.deepEqual(a.ids, b.ids);
  assert.notEqual(a.ids[0]?.[0], a.ids[1]?.[0]);
});

test('an older observation (a replay) reports nothing and keeps the newer state', async () => {
  const h = new ExposureHarness({});
  await h.observe(asset(T0 + HOUR, [ssh, redis]));
  const state = h.state;
  assert.deepEqual(changesOf(await h.observe(asset(T0, [ssh]))), []);
  assert.deepEqual(h.state, state);
});
