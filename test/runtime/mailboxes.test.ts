import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { KeyedMailboxes } from '../../src/runtime/mailboxes.ts';

test('same key in order, different keys in parallel, bounded by concurrency', async () => {
  const seen = new Map<string, number[]>();
  let running = 0;
  let peak = 0;
  const m = new KeyedMailboxes<{ key: string; seq: number }>({
    concurrency: 4,
    run: async ({ key, seq }) => {
      running += 1;
      peak = Math.max(peak, running);
      await delay(Math.random() * 3);
      seen.set(key, [...(seen.get(key) ?? []), seq]);
      running -= 1;
    },
  });
  for (let seq = 0; seq < 20; seq += 1) for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) m.push(key, { key, seq });
  await m.whenIdle();
  for (const list of seen.values()) assert.deepEqual(list, [...Array(20).keys()]);
  assert.equal(peak, 4);
  assert.equal(m.queued, 0);
});

test('one busy key does not starve the others', async () => {
  const order: string[] = [];
  const m = new KeyedMailboxes<string>({ concurrency: 1, run: async (k) => void order.push(k) });
  for (let i = 0; i < 5; i += 1) m.push('busy', 'busy');
  m.push('other', 'other');
  await m.whenIdle();
  assert.ok(order.indexOf('other') < 4, `other ran at ${order.indexOf('other')}`);
});

test('mayStart holds items back until kick(); drop() removes queued items', async () => {
  let open = false;
  const ran: number[] = [];
  const m = new KeyedMailboxes<number>({ concurrency: 2, mayStart: () => open, run: async (n) => void ran.push(n) });
  m.push('k', 1);
  m.push('k', 2);
  m.push('j', 3);
  await m.whenIdle();
  assert.deepEqual(ran, []);
  assert.equal(m.queued, 3);
  assert.deepEqual(
    m.drop((n) => n === 3),
    [3],
  );
  open = true;
  m.kick();
  await m.whenIdle();
  assert.deepEqual(ran, [1, 2]);
});

test('rejects a concurrency below 1', () => {
  assert.throws(() => new KeyedMailboxes({ concurrency: 0, run: async () => undefined }), /positive integer/);
});

test('{ settled }: the slot frees at once, the key waits for settled', async () => {
  const acks = new Map<string, () => void>();
  const started: string[] = [];
  const m = new KeyedMailboxes<string>({
    concurrency: 1,
    run: async (item) => {
      started.push(item);
      return { settled: new Promise<void>((r) => acks.set(item, r)) };
    },
  });
  m.push('a', 'a1');
  m.push('a', 'a2');
  m.push('b', 'b1');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, ['a1', 'b1'], 'b1 started while a1 awaits its ack, with concurrency 1');
  acks.get('a1')?.();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, ['a1', 'b1', 'a2']);
  acks.get('b1')?.();
  acks.get('a2')?.();
  await m.whenIdle();
});

test('orderedSettles: a key goes on before its item settles; whenIdle still waits for every settled', async () => {
  const acks = new Map<string, () => void>();
  const started: string[] = [];
  const m = new KeyedMailboxes<string>({
    concurrency: 1,
    orderedSettles: true,
    run: async (item) => {
      started.push(item);
      return { settled: new Promise<void>((r) => acks.set(item, r)) };
    },
  });
  m.push('a', 'a1');
  m.push('a', 'a2');
  m.push('a', 'a3');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(started, ['a1', 'a2', 'a3'], 'in order, one at a time, none waiting for an acknowledgement');
  assert.equal(m.running, 3, 'all three count as running until settled');
  let idle = false;
  void m.whenIdle().then(() => (idle = true));
  acks.get('a1')?.();
  acks.get('a2')?.();
  await new Promise((r) => setImmediate(r));
  assert.equal(idle, false, 'a3 has not settled');
  acks.get('a3')?.();
  await new Promise((r) => setImmediate(r));
  assert.equal(idle, true);
  assert.equal(m.running, 0);
});

test('orderedSettles keeps one item of a key at a time until run() resolves', async () => {
  const order: string[] = [];
  let release: (() => void) | undefined;
  const m = new KeyedMailboxes<string>({
    concurrency: 4,
    orderedSettles: true,
    run: async (item) => {
      order.push(`start ${item}`);
      if (item === 'a1') await new Promise<void>((r) => (release = r));
      order.push(`end ${item}`);
      return { settled: Promise.resolve() };
    },
  });
  m.push('a', 'a1');
  m.push('a', 'a2');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['start a1'], 'a2 waits while a1 is being handled');
  release?.();
  await m.whenIdle();
  assert.deepEqual(order, ['start a1', 'end a1', 'start a2', 'end a2']);
});

test('CPU-bound items with a backlog let the event loop reach its timers and I/O between them', async () => {
  const concurrency = 4;
  let started = 0;
  let startedWhenTheTimerRan: number | undefined;
  const mailboxes = new KeyedMailboxes<number>({
    concurrency,
    run: async () => {
      started += 1;
      await Promise.resolve(); // like a handler after its first await
      for (const until = performance.now() + 40; performance.now() < until;); // holds the CPU
    },
  });
  for (let i = 0; i < 12; i += 1) mailboxes.push(`k${i}`, i);
  setTimeout(() => (startedWhenTheTimerRan = started), 0);
  await mailboxes.whenIdle();
  assert.equal(started, 12);
  // Before: every item ran back to back in one microtask drain and the timer waited for all 12.
  assert.ok(
    (startedWhenTheTimerRan ?? Infinity) <= concurrency + 1,
    `the timer ran after ${startedWhenTheTimerRan} items`,
  );
});

test('lanes take turns: what one turn pushed starts a lane at a time, in arrival order within each lane', async () => {
  const started: string[] = [];
  const m = new KeyedMailboxes<string>({ concurrency: 1, lanes: true, run: async (item) => void started.push(item) });
  // As a fetch hands over its partitions: all of one, then all of the next.
  for (const lane of [0, 1, 2]) for (let i = 0; i < 3; i += 1) m.push(`${lane}:${i}`, `${lane}:${i}`, lane);
  assert.deepEqual(started, [], 'pushes start at the end of the turn, once every lane has had its say');
  await m.whenIdle();
  assert.deepEqual(started, ['0:0', '1:0', '2:0', '0:1', '1:1', '2:1', '0:2', '1:2', '2:2']);
});

test('lanes: a key keeps its order, and a busy key goes back to the end of its own lane', async () => {
  const started: string[] = [];
  const m = new KeyedMailboxes<string>({ concurrency: 1, lanes: true, run: async (item) => void started.push(item) });
  m.push('a', 'a1', 0);
  m.push('a', 'a2', 0);
  m.push('b', 'b1', 0);
  m.push('c', 'c1', 1);
  await m.whenIdle();
  assert.deepEqual(started, ['a1', 'c1', 'b1', 'a2']);
});
