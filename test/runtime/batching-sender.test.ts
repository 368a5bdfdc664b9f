// The batching sender: concurrent sends share one request; a failed request is retried whole, in order, until
// acknowledged; a send whose signal aborted gives up (false) instead of retrying; requests stay bounded in size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Producer } from 'kafkajs';
import { BatchingSender, MAX_RECORDS_PER_REQUEST, type OutRecord } from '../../src/runtime/kafka/batching-sender.ts';
import { silent } from '../helpers/runtime-settings.ts';

type Request = { topic: string; messages: { key?: unknown }[] }[];

function fakeProducer(failFirst: number) {
  const requests: Request[] = [];
  let failures = failFirst;
  const producer = {
    async sendBatch({ topicMessages }: { topicMessages: Request }) {
      await new Promise((r) => setTimeout(r, 2));
      requests.push(topicMessages);
      if (failures > 0) {
        failures -= 1;
        throw new Error('broker unavailable');
      }
      return [];
    },
  } as unknown as Producer;
  return { producer, requests };
}

const record = (topic: string, key: string): OutRecord => ({ topic, message: { key, value: Buffer.from(key) } });
const retry = { maxAttempts: 3, baseMs: 1, maxMs: 2 };

test('sends that arrive while a request is in flight leave together; a failure is retried first, in order', async () => {
  const { producer, requests } = fakeProducer(1);
  const sender = new BatchingSender(producer, { retry, log: silent });
  const signal = new AbortController().signal;
  const first = sender.send([record('t', 'a')], signal);
  const rest = [sender.send([record('t', 'b'), record('u', 'c')], signal), sender.send([record('t', 'd')], signal)];
  assert.deepEqual(await Promise.all([first, ...rest]), [true, true, true]);
  const keys = requests.map((r) => r.flatMap((t) => t.messages.map((m) => `${t.topic}:${String(m.key)}`)));
  assert.deepEqual(
    keys,
    [['t:a'], ['t:a', 't:b', 't:d', 'u:c']],
    'a failed alone; retried first, together with what queued behind it',
  );
});

test('a send whose signal aborted gives up at the next failure', async () => {
  const { producer } = fakeProducer(1_000);
  const sender = new BatchingSender(producer, { retry, log: silent });
  const controller = new AbortController();
  const sent = sender.send([record('t', 'a')], controller.signal);
  await new Promise((r) => setTimeout(r, 20));
  controller.abort();
  sender.interrupt();
  assert.equal(await sent, false);
});

test('requests are bounded in records', async () => {
  const { producer, requests } = fakeProducer(0);
  const sender = new BatchingSender(producer, { retry, log: silent });
  const signal = new AbortController().signal;
  const sends = Array.from({ length: 2_500 }, (_, i) => sender.send([record('t', `k${i}`)], signal));
  await Promise.all(sends);
  const sizes = requests.map((r) => r.reduce((n, t) => n + t.messages.length, 0));
  assert.equal(
    sizes.reduce((a, b) => a + b, 0),
    2_500,
  );
  assert.ok(Math.max(...sizes) <= MAX_RECORDS_PER_REQUEST, String(sizes));
});

test('a producer id the broker no longer accepts is replaced by a new producer, and the batch goes through it', async () => {
  // What kafkajs throws, whatever wraps it: a protocol error of type OUT_OF_ORDER_SEQUENCE_NUMBER.
  const lost = Object.assign(new Error('The broker received an out of order sequence number'), {
    type: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
  });
  let staleAttempts = 0;
  let staleDisconnected = false;
  const stale = {
    async sendBatch() {
      staleAttempts += 1;
      throw Object.assign(new Error('retries exhausted'), { cause: lost }); // the same answer forever
    },
    async disconnect() {
      staleDisconnected = true;
    },
  } as unknown as Producer;
  const { producer: fresh, requests } = fakeProducer(0);
  let connected = 0;
  Object.assign(fresh, { connect: async () => void (connected += 1) });
  const sender = new BatchingSender(stale, { retry, log: silent, fresh: () => fresh });
  assert.equal(await sender.send([record('t', 'a')], new AbortController().signal), true);
  assert.equal(staleAttempts, 1);
  assert.equal(connected, 1);
  assert.ok(staleDisconnected);
  assert.equal(sender.producer, fresh);
  assert.equal(requests.length, 1);
});
