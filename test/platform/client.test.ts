// The platform client against the fake platform API on loopback: retries, Retry-After, idempotency keys,
// paging, timeouts, malformed bodies and the token that never leaks.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPlatformClient } from '../../src/platform/client.ts';
import { AsmvsError } from '../../src/errors.ts';
import { startFakePlatform, type FakePlatform } from '../helpers/fake-platform-api.ts';

let api: FakePlatform;
const TOKEN = 's3cret-token';
const fast = { maxAttempts: 4, baseMs: 5, maxMs: 50 };

before(async () => {
  api = await startFakePlatform({ token: TOKEN });
});
after(() => api.close());

const client = () => createPlatformClient({ baseUrl: api.url, token: TOKEN, timeoutMs: 2_000, retry: fast });
const isCode = (code: string) => (e: unknown) => e instanceof AsmvsError && e.code === code;

test('a scan whose API answers 500 twice and then succeeds is created once, with the bearer token', async () => {
  api.fault({ match: /^POST \/api\/v1\/scans$/, status: 500, times: 2 });
  const before = api.scans.size;
  const scan = await client().createScan({ target: '127.0.0.1' }, 'key-500');
  assert.equal(scan.status, 'queued');
  assert.equal(api.scans.size, before + 1);
  const tries = api.requests.filter((r) => r.idempotencyKey === 'key-500');
  assert.equal(tries.length, 3);
  assert.ok(tries.every((r) => r.authorization === `Bearer ${TOKEN}`));
});

test('a repeated write with the same idempotency key does not create a second scan', async () => {
  const c = client();
  const a = await c.createScan({ target: '127.0.0.2' }, 'same-key');
  const b = await c.createScan({ target: '127.0.0.2' }, 'same-key');
  assert.equal(a.id, b.id);
});

test('429 is retried after the Retry-After the server asked for', async () => {
  api.fault({ match: /^GET \/api\/v1\/scans\//, status: 429, times: 1, retryAfter: '0' });
  const { id } = await client().createScan({}, 'k-429');
  const scan = await client().getScan(id);
  assert.ok(['running', 'completed'].includes(scan.status));
});

test('persistent 5xx ends as a retryable API_UNAVAILABLE after the bounded attempts', async () => {
  api.fault({ match: /^GET \/api\/v1\/scans\/x$/, status: 503, times: 10 });
  await assert.rejects(
    client().getScan('x'),
    (e: unknown) => isCode('API_UNAVAILABLE')(e) && (e as AsmvsError).retryable,
  );
});

test('an API that does not answer at all is API_UNREACHABLE (infrastructure: a stage waits), unlike its 5xx', async () => {
  const closed = await import('node:net').then(
    (net) =>
      new Promise<number>((resolve) => {
        const server = net.createServer().listen(0, '127.0.0.1', () => {
          const { port } = server.address() as { port: number };
          server.close(() => resolve(port));
        });
      }),
  );
  const c = createPlatformClient({ baseUrl: `http://127.0.0.1:${closed}`, timeoutMs: 500, retry: fast });
  await assert.rejects(
    c.getScan('x'),
    (e: unknown) => isCode('API_UNREACHABLE')(e) && (e as AsmvsError).unavailable && (e as AsmvsError).retryable,
  );
  api.fault({ match: /^GET \/api\/v1\/scans\/y$/, status: 503, times: 10 });
  await assert.rejects(
    client().getScan('y'),
    (e: unknown) => isCode('API_UNAVAILABLE')(e) && !(e as AsmvsError).unavailable,
  );
});

test('a 4xx is API_REJECTED at once, without retries', async () => {
  const count = api.requests.length;
  await assert.rejects(client().getScan('missing'), isCode('API_REJECTED'));
  assert.equal(api.requests.length, count + 1);
});

test('a malformed body is API_BAD_RESPONSE, not a crash', async () => {
  api.fault({ match: /^POST \/api\/v1\/scans$/, malformed: true, times: 1 });
  await assert.rejects(client().createScan({}, 'k-bad'), isCode('API_BAD_RESPONSE'));
});

test('a stalled API times out and is retried', async () => {
  api.fault({ match: /^PATCH /, stallMs: 400, times: 1 });
  const c = createPlatformClient({ baseUrl: api.url, token: TOKEN, timeoutMs: 150, retry: fast });
  await c.patchAsset('a1', { exposure: { score: 3 } }, 'k-stall');
  assert.deepEqual(api.patches.get('a1'), { exposure: { score: 3 } });
});

test('asset lists are read page by page to the end', async () => {
  api.assets = Array.from({ length: 5 }, (_, i) => ({ id: `a${i}`, kind: 'IP', value: `127.0.0.${i + 1}` }));
  const ids: string[] = [];
  for await (const asset of client().listAssets()) ids.push(asset.id);
  assert.deepEqual(ids, ['a0', 'a1', 'a2', 'a3', 'a4']);
});

test('a wrong token is refused and the token never appears in what the client describes', async () => {
  const wrong = createPlatformClient({ baseUrl: api.url, token: 'nope', timeoutMs: 1_000, retry: fast });
  await assert.rejects(wrong.getScan('scan-1'), isCode('API_REJECTED'));
  assert.doesNotMatch(JSON.stringify(client().describe()), new RegExp(TOKEN));
});

test('an abort stops a backoff at once', async () => {
  api.fault({ match: /^GET \/api\/v1\/scans\/slow$/, status: 503, times: 10, retryAfter: '5' });
  const c = createPlatformClient({
    baseUrl: api.url,
    token: TOKEN,
    timeoutMs: 1_000,
    retry: { maxAttempts: 5, baseMs: 5, maxMs: 10_000 },
  });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 100);
  const started = Date.now();
  await assert.rejects(c.getScan('slow', controller.signal), isCode('ABORTED'));
  assert.ok(Date.now() - started < 4_000);
});
