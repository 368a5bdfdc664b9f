// kafkajs' DefaultPartitioner (the Java client's murmur2, so a key lands on the same partition whichever client
// wrote it) without its per-message costs: kafkajs hashes with a 64-bit Long emulation and a Buffer per string
// key, and filters the partition list on every message. Math.imul is the same 32-bit arithmetic, so the partition
// of every key is identical (partitioner.test.ts checks it against kafkajs' own murmur2).
// Topics declared `address`-partitioned (src/topics.ts) place an address key by its value instead.
import type { ICustomPartitioner, PartitionerArgs } from 'kafkajs';
import { parseAddress } from '../../scanners/scope/address.ts';
import { ADDRESS_PARTITIONED } from '../../topics.ts';

const SEED = 0x9747b28c;
const M = 0x5bd1e995;

const scratch = Buffer.allocUnsafe(1024); // string keys are written here rather than into a Buffer each

/** Kafka's murmur2 of the key's UTF-8 bytes, as a signed 32-bit integer. */
export function murmur2(key: Buffer | string): number {
  if (typeof key !== 'string') return murmur2Bytes(key, key.length);
  // At most 3 UTF-8 bytes per UTF-16 code unit, so a key this short always fits.
  if (key.length * 3 <= scratch.length) return murmur2Bytes(scratch, scratch.write(key, 0, 'utf8'));
  const bytes = Buffer.from(key);
  return murmur2Bytes(bytes, bytes.length);
}

function murmur2Bytes(data: Buffer, length: number): number {
  let h = SEED ^ length;
  const length4 = length >> 2;
  for (let i = 0; i < length4; i += 1) {
    const i4 = i * 4;
    let k =
      ((data[i4] as number) & 0xff) |
      (((data[i4 + 1] as number) & 0xff) << 8) |
      (((data[i4 + 2] as number) & 0xff) << 16) |
      (((data[i4 + 3] as number) & 0xff) << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const tail = length & ~3;
  const rest = length & 3;
  if (rest >= 3) h ^= ((data[tail + 2] as number) & 0xff) << 16;
  if (rest >= 2) h ^= ((data[tail + 1] as number) & 0xff) << 8;
  if (rest >= 1) {
    h ^= (data[tail] as number) & 0xff;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

const toPositive = (x: number) => x & 0x7fffffff;

/**
 * The partition of an address key: its value modulo the partition count, so that consecutive addresses take the
 * partitions in turn; undefined when the key is not an address.
 */
export function addressPartition(key: Buffer | string, numPartitions: number): number | undefined {
  const address = parseAddress(typeof key === 'string' ? key : key.toString('utf8'));
  return address === null ? undefined : Number(address.value % BigInt(numPartitions));
}

/** Same choices as kafkajs' DefaultPartitioner: explicit partition, else murmur2 of the key, else round-robin. */
export const Murmur2Partitioner: ICustomPartitioner = () => keyPartitioner(new Set());

/**
 * The stages' partitioner: as `Murmur2Partitioner`, except that an address key of a topic declared `address`
 * (`prefix` + an `ADDRESS_PARTITIONED` name) is placed by `addressPartition`. Every asmvs producer uses it, so a
 * key lands on the same partition whichever of them wrote it.
 */
export function stagePartitioner(prefix: string): ICustomPartitioner {
  const byAddress = new Set([...ADDRESS_PARTITIONED].map((t) => prefix + t));
  return () => keyPartitioner(byAddress);
}

function keyPartitioner(byAddress: ReadonlySet<string>): (args: PartitionerArgs) => number {
  const counters = new Map<string, number>();
  return ({ topic, partitionMetadata, message }: PartitionerArgs): number => {
    if (message.partition !== null && message.partition !== undefined) return message.partition;
    const numPartitions = partitionMetadata.length;
    if (message.key !== null && message.key !== undefined) {
      const spread = byAddress.has(topic) ? addressPartition(message.key, numPartitions) : undefined;
      return spread ?? toPositive(murmur2(message.key)) % numPartitions;
    }
    let counter = counters.get(topic);
    if (counter === undefined) counter = Math.floor(Math.random() * 0x100000000);
    counters.set(topic, (counter += 1));
    const available = partitionMetadata.filter((p) => p.leader >= 0);
    if (available.length > 0)
      return (available[toPositive(counter) % available.length] as { partitionId: number }).partitionId;
    return toPositive(counter) % numPartitions;
  };
}
