// What a record weighs on the wire, and runs of records that each fit a request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runsOf, wireBytes } from '../../../src/runtime/kafka/record-bytes.ts';

test("a record's bytes: key, value and headers in bytes (not characters), plus its framing", () => {
  const bare = wireBytes({ key: null, value: null });
  assert.equal(wireBytes({ key: 'é', value: Buffer.alloc(100) }), bare + 2 + 100);
  assert.equal(
    wireBytes({ key: 'k', value: 'ab', headers: { h: 'vv', list: ['a', 'bc'] } }),
    bare + 3 + 4 + 1 + 2 + 4 + 4 + 3,
  );
});

test('runs: in order, each at most the cap, a record larger than the cap alone', () => {
  const size = (n: number) => n;
  assert.deepEqual(runsOf([3, 3, 3, 3], size, 6), [
    [3, 3],
    [3, 3],
  ]);
  assert.deepEqual(runsOf([2, 9, 2, 2, 2], size, 6), [[2], [9], [2, 2, 2]]);
  assert.deepEqual(runsOf([], size, 6), []);
});
