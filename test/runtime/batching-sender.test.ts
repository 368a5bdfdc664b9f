// The batching sender: concurrent sends share one request; a failed request is retried whole, in order, until
// acknowledged; a send whose signal aborted gives up (false) instead of retrying; requests stay bounded in size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Producer } from 'kafkajs';
import { BatchingSender, type OutRecord } from '../../src/runtime/kafka/batching-sender.ts';
import { MAX_REQUEST_BYTES, wireBytes } from '../../src/runtime/kafka/record-bytes.ts';
import { silent } from '../helpers/runtime-settings.ts';

type Request = { topic: string; messages: { key?: unknown; value?: unknown }[] }[];

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

const bytesOf = (r: Request) => r.reduce((n, t) => n + t.messages.reduce((m, x) => m + wireBytes(x as never), 0), 0);
const keysOf = (requests: Request[]) => requests.flatMap((r) => r.flatMap((t) => t.messages.map((m) => String(m.key))));
const kilobyte = (topic: string, key: string): OutRecord => ({
  topic,
  message: { key, value: Buffer.alloc(1_024, key) },
});

test('requests are bounded in bytes: many sends share requests up to the cap, in order', async () => {
  const { producer, requests } = fakeProducer(0);
  const sender = new BatchingSender(producer, { retry, log: silent });
  const signal = new AbortController().signal;
  const sends = Array.from({ length: 2_500 }, (_, i) => sender.send([kilobyte('t', `k${i}`)], signal));
  assert.ok((await Promise.all(sends)).every(Boolean));
  assert.deepEqual(
    keysOf(requests),
    Array.from({ length: 2_500 }, (_, i) => `k${i}`),
  );
  const sizes = requests.map(bytesOf);
  assert.ok(Math.max(...sizes) <= MAX_REQUEST_BYTES, String(sizes));
  assert.ok(requests.length >= 4, `2.5 MB in ${requests.length} requests`);
});

test('one send larger than a request goes out in several, in order, and resolves once the last is acknowledged', async () => {
  const { producer, requests } = fakeProducer(0);
  const sender = new BatchingSender(producer, { retry, log: silent });
  sender.capBytes = 10 * 1_100;
  const signal = new AbortController().signal;
  const big = Array.from({ length: 35 }, (_, i) => kilobyte(i % 2 === 0 ? 't' : 'u', `b${i}`));
  let settled = false;
  const sent = sender.send(big, signal).then((ok) => ((settled = true), ok));
  const after = sender.send([kilobyte('t', 'next')], signal);
  await new Promise((r) => setTimeout(r, 5)); // the first request is out (2 ms each): not all of the send
  assert.equal(settled, false);
  assert.equal(await sent, true);
  assert.equal(await after, true);
  assert.deepEqual(
    requests.map((r) => r.reduce((n, t) => n + t.messages.length, 0)),
    [10, 10, 10, 6],
    'the next send fills the last request',
  );
  assert.deepEqual(
    requests
      .flatMap((r) => r.flatMap((t) => t.messages.map((m) => String(m.key))))
      .filter((k) => k !== 'next')
      .sort(),
    big.map((r) => String(r.message.key)).sort(),
  );
  for (const r of requests) assert.ok(bytesOf(r) <= sender.capBytes);
});

test('a send cut in several requests resumes where a failure stopped it', async () => {
  const { producer, requests } = fakeProducer(0);
  let calls = 0;
  const failing = {
    async sendBatch(arg: { topicMessages: Request }) {
      calls += 1;
      if (calls === 2) throw new Error('broker unavailable');
      return producer.sendBatch(arg as never);
    },
  } as unknown as Producer;
  const sender = new BatchingSender(failing, { retry, log: silent });
  sender.capBytes = 10 * 1_100;
  const big = Array.from({ length: 25 }, (_, i) => kilobyte('t', `b${i}`));
  assert.equal(await sender.send(big, new AbortController().signal), true);
  assert.deepEqual(
    keysOf(requests),
    big.map((r) => String(r.message.key)),
    'each record acknowledged once, in order',
  );
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
