import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimerQueue } from '../../../src/runtime/keyed/timer-queue.ts';

interface Item {
  readonly at: number;
  readonly name: string;
}
const byAt = (x: Item) => x.at;

test('pops by due time, ties in the order they were pushed', () => {
  const q = new TimerQueue<Item>(byAt);
  const input: [number, string][] = [
    [30, 'c'],
    [10, 'a1'],
    [20, 'b'],
    [10, 'a2'],
    [5, 'z'],
    [10, 'a3'],
  ];
  for (const [at, name] of input) q.push({ at, name });
  assert.equal(q.peekAt(), 5);
  const out: string[] = [];
  for (let x = q.pop(); x; x = q.pop()) out.push(x.name);
  assert.deepEqual(out, ['z', 'a1', 'a2', 'a3', 'b', 'c']);
  assert.equal(q.size, 0);
  assert.equal(q.peekAt(), Infinity);
  assert.equal(q.pop(), undefined);
});

test('a large random load comes out sorted, ties in push order; retain keeps the heap valid', () => {
  const q = new TimerQueue<{ at: number; i: number }>((x) => x.at);
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed);
  for (let i = 0; i < 10_000; i += 1) q.push({ at: rand() % 1000, i });
  q.retain((x) => x.i % 3 !== 0);
  let last = { at: -1, i: -1 };
  let n = 0;
  for (let x = q.pop(); x; x = q.pop()) {
    assert.ok(
      x.at > last.at || (x.at === last.at && x.i > last.i),
      `${JSON.stringify(x)} after ${JSON.stringify(last)}`,
    );
    assert.notEqual(x.i % 3, 0);
    last = x;
    n += 1;
  }
  assert.equal(n, 10_000 - Math.ceil(10_000 / 3));
});

test('pushes after a retain still keep the order of equal due times', () => {
  const q = new TimerQueue<Item>(byAt);
  q.push({ at: 1, name: 'a' });
  q.push({ at: 1, name: 'drop' });
  q.push({ at: 1, name: 'b' });
  q.retain((x) => x.name !== 'drop');
  q.push({ at: 1, name: 'c' });
  q.push({ at: 0, name: 'first' });
  const out: string[] = [];
  for (let x = q.pop(); x; x = q.pop()) out.push(x.name);
  assert.deepEqual(out, ['first', 'a', 'b', 'c']);
});
