// patches/kafkajs+2.2.4.patch (applied by `npm ci`: the prepare script) makes kafkajs's produce path allocate less: the
// encoder writes varints in place and takes its buffers from Node's pool, a produce request is written once into a
// buffer of its exact size (record batches, then the request, then its frame), record batches are checksummed eight
// bytes a step, and messages are grouped per partition without copying. It must not change a byte on the wire. On the
// consumer side, a fetch that finds every partition paused waits until resume(), not a whole maxWaitTime after it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { encodingSamples } from '../../helpers/kafkajs-encoding.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const fixture = JSON.parse(
  readFileSync(new URL('../../fixtures/kafkajs/encoding-2.2.4.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

test('the kafkajs patch is applied to the installed kafkajs', () => {
  const load = createRequire(`${ROOT}package.json`);
  for (const file of [
    'kafkajs/src/protocol/encoder.js',
    'kafkajs/src/producer/groupMessagesPerPartition.js',
    'kafkajs/src/protocol/recordBatch/crc32C/crc32C.js',
    'kafkajs/src/protocol/recordBatch/v0/index.js',
    'kafkajs/src/protocol/requests/produce/v3/request.js',
    'kafkajs/src/protocol/request.js',
    'kafkajs/src/consumer/consumerGroup.js',
    'kafkajs/src/network/requestQueue/index.js',
  ])
    assert.match(readFileSync(load.resolve(file), 'utf8'), /asmvs patch/, `${file} is not patched: run npm ci`);
});

test('the patched kafkajs writes the same bytes as kafkajs 2.2.4: varints, checksums, a produce request', async () => {
  const ours = await encodingSamples(ROOT);
  assert.equal(ours['varints'], fixture['varints']);
  assert.equal(ours['varlongs'], fixture['varlongs']);
  assert.equal(ours['varlongSizes'], fixture['varlongSizes']);
  assert.equal(ours['produceV3'], fixture['produceV3']);
  assert.equal(ours['transactional'], fixture['transactional'], 'a transactional produce request');
  assert.equal(ours['gzip'], fixture['gzip'], 'a gzip-compressed produce request');
  assert.equal(ours['framed'], fixture['framed'], 'the request as a connection sends it (size, header)');
  assert.equal(ours['framedNoClient'], fixture['framedNoClient'], 'the same without a client id');
  assert.equal(ours['checksums'], fixture['checksums'], 'record-batch checksums of 0–4,099 bytes');
  assert.deepEqual(ours['grouped'], fixture['grouped'], 'messages grouped per partition, in their order');
});

test(
  'the patched kafkajs: resume() ends the wait of a fetch that found every partition paused',
  { timeout: 10_000 },
  async () => {
    const load = createRequire(`${ROOT}package.json`);
    const ConsumerGroup = load('kafkajs/src/consumer/consumerGroup.js') as { prototype: object };
    // The real fetch(), on an instance whose collaborators say: nothing to fetch (every partition paused).
    const group = Object.assign(Object.create(ConsumerGroup.prototype) as Record<string, unknown>, {
      maxWaitTime: 60_000, // unpatched, fetch() sleeps this long before the loop looks again
      pausedWaits: new Set(),
      logger: { info: () => undefined, error: () => undefined },
      cluster: { refreshMetadataIfNecessary: async () => undefined },
      checkForStaleAssignment: () => undefined,
      subscriptionState: { assigned: () => [], resume: () => undefined },
      filterPartitionsByNode: () => [],
      seekOffsets: async () => undefined,
      offsetManager: { committedOffsets: () => ({}) },
      getActiveTopicPartitions: () => ({}),
    }) as unknown as {
      fetch(nodeId: number): Promise<unknown[]>;
      resume(tp: unknown[]): void;
      pausedWaits: Set<unknown>;
    };
    const fetched = group.fetch(0);
    await new Promise((r) => setImmediate(r));
    assert.equal(group.pausedWaits.size, 1, 'the fetch waits');
    group.resume([]);
    assert.deepEqual(await fetched, [], 'and returns at the resume, to fetch again at once');
    assert.equal(group.pausedWaits.size, 0);
  },
);

test('the patched kafkajs: the request queue schedules its check with no negative delay (no TimeoutNegativeWarning)', () => {
  const load = createRequire(`${ROOT}package.json`);
  const RequestQueue = load('kafkajs/src/network/requestQueue/index.js') as { prototype: object };
  // A queue that is not throttled (throttledUntil starts at -1) and has nothing pending, as after every answer.
  const queue = Object.assign(Object.create(RequestQueue.prototype) as Record<string, unknown>, {
    throttledUntil: -1,
    throttleCheckTimeoutId: null,
    pending: [],
    checkPendingRequests: () => undefined,
  }) as unknown as { scheduleCheckPendingRequests(): void; throttleCheckTimeoutId: NodeJS.Timeout | null };
  const delays: number[] = [];
  const real = globalThis.setTimeout;
  globalThis.setTimeout = ((fn: () => void, ms: number) => {
    delays.push(ms);
    return real(fn, ms);
  }) as typeof setTimeout;
  try {
    queue.scheduleCheckPendingRequests();
  } finally {
    globalThis.setTimeout = real;
  }
  clearTimeout(queue.throttleCheckTimeoutId ?? undefined);
  // unpatched, the delay is -1 - Date.now(): Node clamps it to 1 ms, and warns
  assert.deepEqual(delays, [1]);
});
