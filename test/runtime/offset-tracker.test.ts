import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PartitionOffsets } from '../../src/runtime/offset-tracker.ts';

test('commits only the contiguous finished prefix', () => {
  const t = new PartitionOffsets();
  for (const o of [5n, 6n, 7n, 8n]) t.add(o);
  assert.equal(t.committable(), undefined);
  t.finish(7n);
  t.finish(6n);
  assert.equal(t.committable(), undefined, '5 is not finished: nothing may be committed');
  t.finish(5n);
  assert.equal(t.committable(), 8n, 'next offset to read after 5, 6, 7');
  t.take(8n);
  assert.equal(t.size, 1);
  assert.equal(t.committable(), undefined);
  t.finish(8n);
  assert.equal(t.committable(), 9n);
});

test('handles gaps in offsets (compaction, transaction markers)', () => {
  const t = new PartitionOffsets();
  t.add(10n);
  t.add(14n);
  t.finish(10n);
  assert.equal(t.committable(), 11n);
  t.finish(14n);
  assert.equal(t.committable(), 15n);
});

test('recognises redeliveries below what it received', () => {
  const t = new PartitionOffsets();
  t.add(0n);
  t.add(1n);
  assert.equal(t.seen(0n), true);
  assert.equal(t.seen(1n), true);
  assert.equal(t.seen(2n), false);
  assert.throws(() => t.add(1n));
});

test('peek returns payloads without removing them; take removes', () => {
  const t = new PartitionOffsets<string>();
  t.add(0n);
  t.add(1n);
  t.finish(0n, 'a');
  t.finish(1n, 'b');
  assert.deepEqual(
    t.peek(2n).map((f) => f.payload),
    ['a', 'b'],
  );
  assert.equal(t.size, 2);
  assert.deepEqual(
    t.take(1n).map((f) => f.payload),
    ['a'],
  );
  assert.equal(t.size, 1);
  assert.equal(t.committable(), 2n);
});

test('stays correct across compaction of its arrays', () => {
  const t = new PartitionOffsets();
  for (let i = 0n; i < 5000n; i += 1n) {
    t.add(i);
    t.finish(i);
    if (i % 100n === 99n) t.take(t.committable() as bigint);
  }
  assert.equal(t.size, 0);
  t.add(5000n);
  t.finish(5000n);
  assert.equal(t.committable(), 5001n);
});

test('restartAt is the first offset not taken yet (where a restart begins), the next expected when all are taken', () => {
  const t = new PartitionOffsets();
  assert.equal(t.restartAt, undefined, 'nothing received: unknown here');
  for (const o of [3n, 4n, 9n]) t.add(o);
  assert.equal(t.restartAt, 3n);
  t.finish(3n);
  t.finish(4n);
  t.take(t.committable() as bigint);
  assert.equal(t.restartAt, 9n, 'the gap is skipped: 9 is the next received');
  t.finish(9n);
  t.take(10n);
  assert.equal(t.restartAt, 10n);
});
