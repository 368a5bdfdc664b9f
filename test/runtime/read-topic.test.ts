// Where a read of a topic starts and when it is done, from offsets alone (no broker): a lookup by timestamp that
// found nothing starts at the end, and a partition whose start is at or past its end is done before the first record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPlan, startsAtOrEnd } from '../../src/runtime/kafka/read-topic.ts';

test('a lookup by timestamp starts each partition at the record found, or at its end when none was', () => {
  const ends = { 0: '40', 1: '12', 2: '7', 3: '0' };
  assert.deepEqual(
    startsAtOrEnd(
      [
        { partition: 0, offset: '35' }, // the first record at or after the time
        { partition: 1, offset: '-1' }, // Kafka's "no such record"
        { partition: 2, offset: '7' }, // kafkajs 2.2.4 already put the end in the place of -1
      ], // partition 3 not answered
      ends,
    ),
    { 0: '35', 1: '12', 2: '7', 3: '0' },
  );
});

test('reading from the earliest record: every partition with retained records, to the end taken at the start', () => {
  const plan = readPlan(
    {
      0: { low: '0', high: '5' },
      1: { low: '0', high: '0' }, // empty
      2: { low: '9', high: '9' }, // every record past its retention
      3: { low: '3', high: '4' },
    },
    'earliest',
  );
  assert.equal(plan.from, 'earliest');
  assert.deepEqual(
    [...plan.remaining],
    [
      [0, 5n],
      [3, 4n],
    ],
  );
});

test('reading from given offsets: a partition whose start equals its end is done, the others read to their end', () => {
  const plan = readPlan(
    {
      0: { low: '0', high: '100' },
      1: { low: '0', high: '50' },
      2: { low: '20', high: '30' },
      3: { low: '0', high: '8' },
    },
    { 0: '90', 1: '50', 2: '4', 3: '9' }, // 2: below what is retained; 3: past the end
  );
  assert.deepEqual(plan.from, { 0: '90', 1: '50', 2: '20', 3: '8' });
  assert.deepEqual(
    [...plan.remaining],
    [
      [0, 100n],
      [2, 30n],
    ],
  );
});

test('a partition the offsets leave out is read from its first retained record', () => {
  const plan = readPlan(
    {
      0: { low: '0', high: '3' },
      1: { low: '2', high: '6' },
    },
    { 0: '3' },
  );
  assert.deepEqual(plan.from, { 0: '3', 1: '2' });
  assert.deepEqual([...plan.remaining], [[1, 6n]]);
});
