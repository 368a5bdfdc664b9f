// Reconciliation against the fake platform API: both asset lists read to the end, page by page; one discovery
// request per distinct asset, with ids that repeat within a schedule window and change across windows.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { reconcileOnce, startReconciler } from '../../src/app/reconcile-assets.ts';
import { createPlatformClient } from '../../src/platform/client.ts';
import type { DiscoveryRequest } from '../../src/schemas/types.gen.ts';
import { startFakePlatform, type FakePlatform } from '../helpers/fake-platform-api.ts';

let api: FakePlatform;
before(async () => {
  api = await startFakePlatform({ pageSize: 2 });
  api.assets = Array.from({ length: 5 }, (_, i) => ({ id: `p${i}`, kind: 'IP', value: `127.0.0.${i + 1}` }));
});
after(() => api.close());

const client = () =>
  createPlatformClient({ baseUrl: api.url, timeoutMs: 2_000, retry: { maxAttempts: 3, baseMs: 5, maxMs: 20 } });
const DAY = 86_400_000;

test('every listed asset gets one discovery request; ids repeat within a window and change across windows', async () => {
  const sent: DiscoveryRequest[][] = [];
  const publish = async (r: readonly DiscoveryRequest[]) => void sent.push([...r]);
  const first = await reconcileOnce(client(), publish, { intervalMs: DAY, now: 10 * DAY + 5 });
  // The fake serves the same five assets on both lists: ten listed, five distinct.
  assert.deepEqual(first, { assets: 10, requests: 5 });
  assert.deepEqual(sent[0]?.map((r) => r.targets[0]).sort(), [
    '127.0.0.1',
    '127.0.0.2',
    '127.0.0.3',
    '127.0.0.4',
    '127.0.0.5',
  ]);
  assert.ok(sent[0]?.every((r) => r.labels['platform.asset-id']?.startsWith('p') && r.scanAfterDiscovery));
  await reconcileOnce(client(), publish, { intervalMs: DAY, now: 10 * DAY + 999 });
  assert.deepEqual(
    sent[1]?.map((r) => r.requestId),
    sent[0]?.map((r) => r.requestId),
  );
  await reconcileOnce(client(), publish, { intervalMs: DAY, now: 11 * DAY });
  assert.notDeepEqual(
    sent[2]?.map((r) => r.requestId),
    sent[0]?.map((r) => r.requestId),
  );
  const pages = api.requests.filter((r) => r.path === '/api/v1/asm/assets').length;
  assert.equal(pages, 9, 'three pages of two per round, three rounds');
});

test('a failing round is logged and the schedule goes on', async () => {
  api.fault({ match: /^GET \/api\/v1\/asm\/assets$/, status: 500, times: 3 });
  let published = 0;
  const reconciler = startReconciler(client(), async (r) => void (published += r.length), {
    intervalMs: 60,
    log: pino({ level: 'silent' }),
  });
  // three failing rounds, then rounds that publish: however slow the machine, they come
  for (const deadline = Date.now() + 10_000; published < 5 && Date.now() < deadline;)
    await new Promise((r) => setTimeout(r, 20));
  reconciler.stop();
  assert.ok(published >= 5, `later rounds published (${published})`);
});
