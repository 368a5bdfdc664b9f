import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimerQueue } from '../../../src/runtime/keyed/timer-queue.ts';

test('pops by due time, ties in the order they were pushed', () => {
  const q = new TimerQueue<string>();
  const input: [number, string][] = [
    [30, 'c'],
    [10, 'a1'],
    [20, 'b'],
    [10, 'a2'],
    [5, 'z'],
    [10, 'a3'],
  ];
  for (const [at, v] of input) q.push(at, v);
  const out: string[] = [];
  for (let x = q.pop(); x; x = q.pop()) out.push(x.item);
  assert.deepEqual(out, ['z', 'a1', 'a2', 'a3', 'b', 'c']);
  assert.equal(q.size, 0);
});

test('a large random load comes out sorted; retain keeps the heap valid', () => {
  const q = new TimerQueue<number>();
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed);
  for (let i = 0; i < 10_000; i += 1) q.push(rand() % 1000, i);
  q.retain((i) => i % 3 !== 0);
  let last = -1;
  let n = 0;
  for (let x = q.pop(); x; x = q.pop()) {
    assert.ok(x.at >= last);
    assert.notEqual(x.item % 3, 0);
    last = x.at;
    n += 1;
  }
  assert.equal(n, 10_000 - Math.ceil(10_000 / 3));
});
