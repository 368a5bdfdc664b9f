import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyedAttempt } from '../../../src/runtime/keyed/key-entry.ts';
import { KeyedStore, type DueTimer } from '../../../src/runtime/keyed/keyed-store.ts';

const encode = (v: unknown) => Buffer.from(JSON.stringify(v));

function entryWith(timers: [string, number][]) {
  const a = new KeyedAttempt(undefined, encode, () => 0);
  for (const [id, at] of timers) a.schedule(id, at, {});
  return a.result();
}

test('fires due timers in due order, per key and across keys; overdue ones at once after a load', async () => {
  const fired: string[] = [];
  let done: () => void = () => undefined;
  const all = new Promise<void>((r) => (done = r));
  const store = new KeyedStore({
    onDue: (d: DueTimer) => {
      fired.push(`${d.key}.${d.timer.id}`);
      if (fired.length === 4) done();
    },
  });
  const now = Date.now();
  store.load(
    3,
    new Map([
      [
        'k1',
        entryWith([
          ['late', now + 40],
          ['early', now - 1000],
        ]) as never,
      ],
      [
        'k2',
        entryWith([
          ['mid', now + 20],
          ['overdue', now - 10],
        ]) as never,
      ],
    ]),
  );
  await all;
  store.close();
  assert.deepEqual(fired, ['k1.early', 'k2.overdue', 'k2.mid', 'k1.late']);
});

test('cancelled, replaced and dropped timers do not fire', async () => {
  const fired: string[] = [];
  const store = new KeyedStore({ onDue: (d) => fired.push(`${d.key}.${d.timer.id}@${d.timer.at}`) });
  const now = Date.now();
  store.load(0, new Map());
  store.load(1, new Map());
  store.put(0, 'a', entryWith([['x', now + 10]]));
  store.put(0, 'a', entryWith([['x', now + 30]])); // replaced
  store.put(0, 'b', entryWith([['y', now + 10]]));
  store.put(0, 'b', undefined); // cancelled
  store.put(1, 'c', entryWith([['z', now + 10]]));
  assert.equal(store.pendingTimers, 2);
  store.drop(1);
  assert.equal(store.pendingTimers, 1);
  store.put(1, 'c', entryWith([['z', now]])); // a dropped partition takes nothing
  for (const deadline = Date.now() + 5_000; fired.length === 0 && Date.now() < deadline;)
    await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => setTimeout(r, 50)); // and nothing else after it
  store.close();
  assert.deepEqual(fired, [`a.x@${now + 30}`]);
});
