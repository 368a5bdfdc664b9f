// asm_exposure's timers on one asset: `cert-expiry` (one CERTIFICATE_EXPIRING per certificate), `rescan` (the
// rescan policy's scan requests, on a grid, a missed window once) and `gone` (a monitored asset no round sees).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MONITOR_LABELS } from '../../src/monitoring/monitor-labels.ts';
import { rescanRequestId } from '../../src/processors/asm-exposure.ts';
import {
  asset,
  changesOf,
  DAY,
  ExposureHarness,
  HOUR,
  lines,
  scanRequestsOf,
  service,
  T0,
  tls,
} from '../helpers/exposure-harness.ts';

const fpA = 'a1'.repeat(32);
const fpB = 'b2'.repeat(32);
const https = (fp: string, notAfter: number) => service(443, { service: 'https', tls: tls(fp, notAfter) });
const redis = service(6379, { service: 'redis' });
const daily = [{ kind: 'any', everyMs: DAY }] as const;
const monitored = { labels: { [MONITOR_LABELS.monitor]: 'm1', [MONITOR_LABELS.everyMs]: String(HOUR) } };

test('a certificate inside the warning window is reported expiring once, not once per rescan', async () => {
  const h = new ExposureHarness({});
  const notAfter = T0 + 10 * DAY;
  const first = changesOf(await h.observe(asset(T0, [https(fpA, notAfter)])));
  assert.deepEqual(lines(first).slice(1), [
    `CERTIFICATE_EXPIRING 127.0.0.1:443/tcp: sha256:${fpA} → expires 2026-03-11T00:00:00.000Z`,
  ]);
  assert.equal(first[0]?.kind, 'ASSET_APPEARED');
  for (let day = 1; day <= 12; day++)
    assert.deepEqual(changesOf(await h.observe(asset(T0 + day * DAY, [https(fpA, notAfter)]))), [], `day ${day}`);
  assert.equal(h.timerAt('cert-expiry'), undefined);
});

test('a certificate entering the window later is reported by its timer; a renewed one is reported again', async () => {
  const h = new ExposureHarness({});
  const notAfterA = T0 + 40 * DAY;
  await h.observe(asset(T0, [https(fpA, notAfterA)]));
  assert.equal(h.timerAt('cert-expiry'), notAfterA - 30 * DAY);
  const fired = changesOf(await h.fire('cert-expiry'));
  assert.deepEqual(lines(fired), [
    `CERTIFICATE_EXPIRING 127.0.0.1:443/tcp: sha256:${fpA} → expires 2026-04-10T00:00:00.000Z`,
  ]);
  assert.equal(fired[0]?.observedAt, notAfterA - 30 * DAY);
  assert.equal(fired[0]?.requestId, `req-${T0}`, 'the request that last saw the asset');
  assert.deepEqual(changesOf(await h.observe(asset(T0 + 11 * DAY, [https(fpA, notAfterA)]))), []);

  const notAfterB = T0 + 100 * DAY;
  const renewed = changesOf(await h.observe(asset(T0 + 12 * DAY, [https(fpB, notAfterB)])));
  assert.deepEqual(
    renewed.map((c) => c.kind),
    ['CERTIFICATE_CHANGED'],
  );
  assert.equal(h.timerAt('cert-expiry'), notAfterB - 30 * DAY);
  const again = changesOf(await h.fire('cert-expiry', notAfterB - 29 * DAY));
  assert.deepEqual(lines(again), [
    `CERTIFICATE_EXPIRING 127.0.0.1:443/tcp: sha256:${fpB} → expires 2026-06-09T00:00:00.000Z`,
  ]);
  assert.deepEqual(changesOf(await h.observe(asset(notAfterB + DAY, [https(fpB, notAfterB)]))), [], 'even expired');
});

test('an expiring certificate has one change id, however many times its report is redelivered', async () => {
  const ids = new Set<string>();
  for (const now of [T0, T0 + 5, T0 + DAY]) {
    const h = new ExposureHarness({ now });
    const changes = changesOf(await h.observe(asset(T0, [https(fpA, T0 + DAY)])));
    for (const c of changes.filter((x) => x.kind === 'CERTIFICATE_EXPIRING')) ids.add(`${c.changeId}/${c.eventId}`);
  }
  assert.equal(ids.size, 1);
});

test('the rescan timer produces a scheduled scan request with an id from the asset and the due time', async () => {
  const h = new ExposureHarness({ monitoring: { rescanPolicy: daily } });
  const policy = scanRequestsOf(await h.observe(asset(T0, [redis])));
  assert.equal(policy[0]?.reason, 'policy');
  assert.deepEqual(h.timers(), [{ id: 'rescan', at: T0 + DAY }]);

  const out = await h.fire('rescan', T0 + DAY + 7);
  const [request] = scanRequestsOf(out);
  assert.equal(scanRequestsOf(out).length, 1);
  assert.equal(request?.reason, 'scheduled');
  assert.equal(request?.requestId, rescanRequestId('asset-1', T0 + DAY));
  assert.deepEqual(
    [request?.assetId, request?.target, request?.ports, request?.scanners, request?.profile, request?.exposure?.level],
    ['asset-1', '127.0.0.1', [6379], ['asmvs-checks'], 'default', 'INTERNAL'],
  );
  const accepted = out.find((e) => e.topic === 'job-status');
  assert.equal(accepted?.key, request?.requestId);
  assert.deepEqual(h.timers(), [{ id: 'rescan', at: T0 + 2 * DAY }]);

  // The same timer firing twice (at-least-once) produces the same request.
  const twin = new ExposureHarness({ monitoring: { rescanPolicy: daily } });
  await twin.observe(asset(T0, [redis]));
  const [duplicate] = scanRequestsOf(await twin.fire('rescan', T0 + DAY + 999));
  assert.deepEqual([duplicate?.requestId, duplicate?.eventId], [request?.requestId, request?.eventId]);
});

test('a rescan that fires days late requests one scan and the next stays on the grid', async () => {
  const h = new ExposureHarness({ monitoring: { rescanPolicy: daily } });
  await h.observe(asset(T0, [redis]));
  const late = await h.fire('rescan', T0 + DAY + 3.5 * DAY);
  assert.equal(scanRequestsOf(late).length, 1);
  assert.deepEqual(h.timers(), [{ id: 'rescan', at: T0 + 5 * DAY }]);
});

test('an asset observed long ago is not rescanned at once: its next rescan is on its grid, after now', async () => {
  const h = new ExposureHarness({ now: T0 + 10.5 * DAY, monitoring: { rescanPolicy: daily } });
  assert.equal(scanRequestsOf(await h.observe(asset(T0, [redis]))).length, 1, 'the scan the observation asks for');
  assert.deepEqual(h.timers(), [{ id: 'rescan', at: T0 + 11 * DAY }]);
});

test('an asset the policies do not scan gets no rescan timer', async () => {
  const h = new ExposureHarness({ monitoring: { rescanPolicy: daily } });
  await h.observe(asset(T0, []));
  assert.deepEqual(h.timers(), [], 'the scan policy: nothing open, nothing to scan');
  await h.observe(asset(T0 + HOUR, [redis], { scanAfterDiscovery: false }));
  assert.deepEqual(h.timers(), [], 'the request asked for no scans');
  const score = new ExposureHarness({ monitoring: { rescanPolicy: [{ kind: 'score', min: 90, everyMs: DAY }] } });
  await score.observe(asset(T0, [redis]));
  assert.deepEqual(score.timers(), [], 'no rescan rule matches');
  await h.observe(asset(T0 + 2 * HOUR, [redis]));
  assert.deepEqual(h.timers(), [{ id: 'rescan', at: T0 + 2 * HOUR + DAY }]);
  await h.observe(asset(T0 + 3 * HOUR, []));
  assert.deepEqual(h.timers(), [], 'rescheduling cancels it when the asset is no longer scanned');
});

test('a monitored asset no round sees is ASSET_DISAPPEARED once; seen again it is ASSET_APPEARED', async () => {
  const h = new ExposureHarness({ monitoring: { rescanPolicy: daily } });
  await h.observe(asset(T0, [redis], monitored));
  assert.equal(h.timerAt('gone'), T0 + 2.5 * HOUR);
  await h.observe(asset(T0 + HOUR, [redis], monitored));
  assert.equal(h.timerAt('gone'), T0 + 3.5 * HOUR, 'each sighting moves it');

  const gone = changesOf(await h.fire('gone'));
  assert.deepEqual(lines(gone), ['ASSET_DISAPPEARED 127.0.0.1: INTERNAL score 26; 1 open: 6379/tcp redis → ∅']);
  assert.equal(gone[0]?.observedAt, T0 + 3.5 * HOUR);
  assert.equal(gone[0]?.requestId, `req-${T0 + HOUR}`);
  assert.deepEqual(h.timers(), [], 'its rescan is cancelled');

  const back = changesOf(await h.observe(asset(T0 + DAY, [service(22, { service: 'ssh' })], monitored)));
  assert.deepEqual(lines(back), [
    'ASSET_APPEARED 127.0.0.1: INTERNAL score 26; 1 open: 6379/tcp redis → INTERNAL score 21; 1 open: 22/tcp ssh',
  ]);
  assert.deepEqual(
    h.timers().map((t) => t.id),
    ['gone', 'rescan'],
  );
});

test('a gone timer that fires before the deadline the last sighting gives waits for it', async () => {
  const h = new ExposureHarness({});
  await h.observe(asset(T0, [redis], monitored));
  Object.assign(h.deps, { monitoring: { ...h.deps.monitoring, goneAfterRounds: 4 } }); // raised since it was set
  assert.deepEqual(changesOf(await h.fire('gone')), []);
  assert.equal(h.timerAt('gone'), T0 + 4.5 * HOUR);
  assert.deepEqual(
    lines(changesOf(await h.fire('gone'))).map((l) => l.split(':')[0]),
    ['ASSET_DISAPPEARED 127.0.0.1'],
  );
});

test('an asset not found by a monitor never gets a gone timer', async () => {
  const h = new ExposureHarness({});
  await h.observe(asset(T0, [redis], monitored));
  assert.ok(h.timerAt('gone'));
  await h.observe(asset(T0 + HOUR, [redis]));
  assert.equal(h.timerAt('gone'), undefined);
});
