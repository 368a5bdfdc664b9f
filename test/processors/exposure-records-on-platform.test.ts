// asm_exposure with the platform API configured: the exposure of each asset is PATCHed onto the platform's asset
// (idempotency key per event), and the scan policy still decides what is scanned.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { loadConfig } from '../../src/config/load.ts';
import { wireStages } from '../../src/app/stage-deps.ts';
import { createLocalRunner } from '../../src/runtime/local/local-runner.ts';
import type { Asset } from '../../src/schemas/types.gen.ts';
import { startFakePlatform, type FakePlatform } from '../helpers/fake-platform-api.ts';
import { service } from '../helpers/exposure-harness.ts';

let api: FakePlatform;
before(async () => {
  api = await startFakePlatform({ token: 'tkn' });
});
after(() => api.close());

const asset = (id: string, ports: number[]): Asset => ({
  eventId: `e-${id}`,
  requestId: 'r1',
  producedAt: 1,
  producer: { stage: 'test', version: '0' },
  assetId: id,
  kind: 'IP',
  value: '127.0.0.1',
  hostnames: [],
  addresses: ['127.0.0.1'],
  dnsRecords: [],
  services: ports.map((port) => service(port, { service: port === 6379 ? 'redis' : null })),
  observedAt: 1,
  discoveredBy: 'test',
  scope: null,
  scanAfterDiscovery: true,
  organizationId: null,
  labels: {},
  reachability: null,
  resolvedFrom: null,
});

test('exposure is recorded on the platform and only assets with open services are scanned', async () => {
  const config = loadConfig({ API_BASE_URL: api.url, API_TOKEN: 'tkn' });
  const wiring = await wireStages(config);
  const exposure = wiring.stages.filter((s) => s.processor.name === 'asm_exposure');
  const runner = createLocalRunner({ stages: exposure, runtime: config.runtime, logger: pino({ level: 'silent' }) });
  runner.publish('assets', 'a1', asset('a1', [6379]));
  runner.publish('assets', 'a2', asset('a2', []));
  await runner.idle();
  await runner.stop();
  await wiring.close();
  const patched = api.patches.get('a1') as { exposure: { level: string; tags: string[]; score: number } };
  assert.equal(patched.exposure.level, 'INTERNAL');
  assert.deepEqual(patched.exposure.tags, ['database', 'network:loopback']);
  assert.equal(patched.exposure.score, 26);
  assert.ok(api.patches.has('a2'));
  assert.deepEqual(
    runner.collected('scan-requests').map((r) => r.key),
    ['a1'],
  );
  assert.ok(api.requests.filter((r) => r.method === 'PATCH').every((r) => r.idempotencyKey?.startsWith('exposure-')));
});
