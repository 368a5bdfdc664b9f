// Our murmur2 partitioner must place every key exactly where kafkajs' DefaultPartitioner (and the Java client) does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import kafkajs from 'kafkajs';
import type { PartitionMetadata } from 'kafkajs';
import { murmur2, Murmur2Partitioner } from '../../src/runtime/kafka/partitioner.ts';

const require = createRequire(import.meta.url);
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2.js') as (
  key: Buffer | string,
) => number;

function keys(): (string | Buffer)[] {
  const out: (string | Buffer)[] = ['', 'a', 'ab', 'abc', 'abcd', 'asset-1', 'ünïcødé-ключ-鍵-🔑', 'x'.repeat(2_000)];
  let seed = 42;
  const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0);
  for (let i = 0; i < 2_000; i += 1) {
    const length = next() % 40;
    const bytes = Buffer.alloc(length);
    for (let j = 0; j < length; j += 1) bytes[j] = next() & 0xff;
    out.push(bytes, `asset-${next()}`, String.fromCharCode(...Array.from({ length }, () => 0x20 + (next() % 0x2000))));
  }
  return out;
}

test('murmur2 equals kafkajs murmur2 for strings (ASCII, non-ASCII, long) and bytes', () => {
  for (const key of keys()) assert.equal(murmur2(key), kafkajsMurmur2(key), `key ${JSON.stringify(key)}`);
});

test('the partitioner chooses the partition kafkajs DefaultPartitioner chooses; an explicit partition wins', () => {
  const ours = Murmur2Partitioner();
  const theirs = kafkajs.Partitioners.DefaultPartitioner();
  for (const n of [1, 3, 4, 12]) {
    const partitionMetadata = Array.from({ length: n }, (_, partitionId): PartitionMetadata => ({
      partitionId,
      leader: 0,
      partitionErrorCode: 0,
      replicas: [0],
      isr: [0],
    }));
    for (const key of keys()) {
      const args = { topic: 't', partitionMetadata, message: { key, value: null } };
      assert.equal(ours(args), theirs(args));
    }
    assert.equal(ours({ topic: 't', partitionMetadata, message: { key: 'k', value: null, partition: n - 1 } }), n - 1);
    const roundRobin = ours({ topic: 't', partitionMetadata, message: { key: null, value: null } });
    assert.ok(roundRobin >= 0 && roundRobin < n);
  }
});
