// Our murmur2 partitioner must place every key exactly where kafkajs' DefaultPartitioner (and the Java client) does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import kafkajs from 'kafkajs';
import type { PartitionMetadata } from 'kafkajs';
import {
  addressPartition,
  murmur2,
  Murmur2Partitioner,
  stagePartitioner,
} from '../../src/runtime/kafka/partitioner.ts';

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

const metadataOf = (n: number): PartitionMetadata[] =>
  Array.from({ length: n }, (_, partitionId) => ({
    partitionId,
    leader: 0,
    partitionErrorCode: 0,
    replicas: [0],
    isr: [0],
  }));

function ipv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 255, (value >>> 8) & 255, value & 255].join('.');
}

test('host-scans: an address goes to its value modulo the partitions, so a range spreads evenly (murmur2 does not)', () => {
  const partitionMetadata = metadataOf(12);
  const ours = stagePartitioner('pre.')();
  const counts = Array.from({ length: 12 }, () => 0);
  const hashed = Array.from({ length: 12 }, () => 0);
  const base = 198 * 2 ** 24 + 18 * 2 ** 16;
  for (let i = 0; i < 1024; i++) {
    const key = ipv4(base + i);
    const p = ours({ topic: 'pre.host-scans', partitionMetadata, message: { key, value: null } });
    assert.equal(p, (base + i) % 12);
    counts[p] = (counts[p] as number) + 1;
    const h = ours({ topic: 'pre.assets', partitionMetadata, message: { key, value: null } });
    hashed[h] = (hashed[h] as number) + 1;
  }
  assert.deepEqual([Math.min(...counts), Math.max(...counts)], [85, 86]);
  // Hashed, the same /22 is 72 to 97 per partition: the topics not declared by address keep murmur2.
  assert.ok(Math.max(...hashed) - Math.min(...hashed) > 10);
});

test('host-scans: IPv6 by value, a key that is no address by murmur2; the prefix names the topic', () => {
  const partitionMetadata = metadataOf(12);
  const ours = stagePartitioner('pre.')();
  const at = (topic: string, key: string | Buffer) => ours({ topic, partitionMetadata, message: { key, value: null } });
  assert.equal(at('pre.host-scans', '2001:db8::d'), Number(((0x20010db8n << 96n) + 13n) % 12n));
  assert.equal(at('pre.host-scans', Buffer.from('10.0.0.7')), (10 * 2 ** 24 + 7) % 12);
  assert.equal(at('pre.host-scans', 'not-an-address'), (murmur2('not-an-address') & 0x7fffffff) % 12);
  assert.equal(at('host-scans', '10.0.0.7'), (murmur2('10.0.0.7') & 0x7fffffff) % 12);
  assert.equal(at('pre.host-scans.dlq', '10.0.0.7'), (murmur2('10.0.0.7') & 0x7fffffff) % 12);
  assert.equal(addressPartition('10.0.0.7', 5), 2);
  assert.equal(addressPartition('example.org', 5), undefined);
  assert.equal(
    ours({ topic: 'pre.host-scans', partitionMetadata, message: { key: '10.0.0.7', value: null, partition: 3 } }),
    3,
  );
});
