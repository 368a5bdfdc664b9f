// Reads a topic from outside a stage (the CLI's tail, status, changes, monitor list, --follow): a throw-away consumer
// group that commits nothing and is deleted afterwards, decoding every value through the registry. Undecodable
// records are reported, not fatal: a reader must be able to look at a topic that holds poison. A read starts at the
// earliest record, the latest, or given offsets (e.g. those of a time, topicOffsetsAt); readToEnd stops at the ends
// the topic had when it began.
import { randomUUID } from 'node:crypto';
import type { Config } from '../../config/config.ts';
import { requireKafka, requireRegistry } from '../../config/config.ts';
import { createRegistryCodec } from '../../schemas/codec.ts';
import type { SchemaTopic } from '../../schemas/registry-files.ts';
import type { TopicValues } from '../../schemas/types.gen.ts';
import { AsmvsError } from '../../errors.ts';
import { createKafka } from './client.ts';

export interface ReadRecord<T extends SchemaTopic> {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly timestamp: number;
  readonly value?: TopicValues[T];
  readonly error?: AsmvsError;
}

/** An offset per partition (as kafkajs spells offsets: decimal strings). */
export type PartitionOffsets = Readonly<Record<number, string>>;

export interface ReadOptions {
  /**
   * 'earliest': the whole topic; 'latest': what arrives from now on; or an offset per partition (topicEnd(),
   * topicOffsetsAt()), a partition left out starting at its earliest record.
   */
  readonly from: 'earliest' | 'latest' | PartitionOffsets;
  readonly signal: AbortSignal;
}

interface PartitionBounds {
  /** The first retained offset. */
  readonly low: string;
  /** The end: the offset the next record will have (the last stable offset, transactions being read committed). */
  readonly high: string;
}

async function topicBounds(config: Config, topic: SchemaTopic): Promise<Record<number, PartitionBounds>> {
  const admin = createKafka(requireKafka(config), 'reader').admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(config.topics.prefix + topic);
    return Object.fromEntries(offsets.map((o) => [o.partition, { low: o.low, high: o.high }]));
  } finally {
    await admin.disconnect();
  }
}

/** The current end offset of each partition: read from here to see only what is produced after this call. */
export async function topicEnd(config: Config, topic: SchemaTopic): Promise<Record<number, string>> {
  const bounds = await topicBounds(config, topic);
  return Object.fromEntries(Object.entries(bounds).map(([p, b]) => [p, b.high]));
}

/**
 * The offset of each partition's first record with a timestamp at or after `timestampMs` (the producer's CreateTime
 * unless the topic says LogAppendTime); a partition without one starts at its end. Timestamps need not grow along a
 * partition: records after the offset may be older, and none before it is at or after `timestampMs`.
 */
export async function topicOffsetsAt(
  config: Config,
  topic: SchemaTopic,
  timestampMs: number,
): Promise<Record<number, string>> {
  const physical = config.topics.prefix + topic;
  const admin = createKafka(requireKafka(config), 'reader').admin();
  await admin.connect();
  try {
    // The ends first: a partition that has no such record yet starts where it ended before the lookup, so a record
    // produced in between is still read.
    const ends = await admin.fetchTopicOffsets(physical);
    const found = await admin.fetchTopicOffsetsByTimestamp(physical, timestampMs);
    return startsAtOrEnd(found, Object.fromEntries(ends.map((o) => [o.partition, o.high])));
  } finally {
    await admin.disconnect();
  }
}

/**
 * The answer of a lookup by timestamp as start offsets: a partition the lookup found nothing in (Kafka answers -1;
 * kafkajs 2.2.4 already puts the end in its place, older and newer versions may not) or did not answer for starts at
 * `ends`. Never a negative offset: kafkajs 2.2.4 accepts a seek to -1, but a consumer that commits nothing, like
 * readTopic's, then fetches that partition from offset 0.
 */
export function startsAtOrEnd(
  found: readonly { readonly partition: number; readonly offset: string }[],
  ends: PartitionOffsets,
): Record<number, string> {
  const byPartition = new Map(found.map((f) => [f.partition, f.offset]));
  return Object.fromEntries(
    Object.entries(ends).map(([p, end]) => {
      const offset = byPartition.get(Number(p));
      return [p, offset !== undefined && /^\d+$/.test(offset) ? offset : end];
    }),
  );
}

/** Calls onRecord for each record until the signal aborts or onRecord returns 'stop'. */
export async function readTopic<T extends SchemaTopic>(
  config: Config,
  topic: T,
  options: ReadOptions,
  onRecord: (record: ReadRecord<T>) => 'stop' | void | Promise<'stop' | void>,
): Promise<void> {
  const kafka = createKafka(requireKafka(config), 'reader');
  const registry = requireRegistry(config);
  const codec = createRegistryCodec({ ...registry, topicPrefix: config.topics.prefix });
  const groupId = `asmvs-reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, readUncommitted: false });
  const admin = kafka.admin();
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));
  options.signal.addEventListener('abort', () => finish(), { once: true });
  await consumer.connect();
  try {
    const physical = config.topics.prefix + topic;
    await consumer.subscribe({ topic: physical, fromBeginning: options.from !== 'latest' });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (options.signal.aborted) return;
        const base = {
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          timestamp: Number(message.timestamp),
        };
        let record: ReadRecord<T>;
        try {
          record = { ...base, value: await codec.decode(topic, message.value ?? Buffer.alloc(0)) };
        } catch (error) {
          if (!(error instanceof AsmvsError) || error.retryable) throw error;
          record = { ...base, error };
        }
        if ((await onRecord(record)) === 'stop') finish();
      },
    });
    // Seeks issued right after run() apply before the first fetch of each partition.
    if (typeof options.from === 'object') {
      for (const [partition, offset] of Object.entries(options.from))
        consumer.seek({ topic: physical, partition: Number(partition), offset });
    }
    if (!options.signal.aborted) await finished;
  } finally {
    await consumer.disconnect();
    await admin.connect();
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect();
  }
}

// A partition's end can be a transaction marker, which is never delivered, and a partition whose records have all
// passed their retention delivers nothing: a read that has been quiet this long after its last record is complete.
const QUIET_MS = 2_000;
const FIRST_RECORD_MS = 6_000;

export interface ReadPlan {
  /** Where the consumer starts: 'earliest', or an offset for every partition. */
  readonly from: 'earliest' | Record<number, string>;
  /** The partitions with records to read, and the end offset (exclusive) at which each is done. */
  readonly remaining: Map<number, bigint>;
}

/**
 * What reading from `from` to the ends (taken when the read began) involves: a partition is done before the first
 * record when its start is at or past its end, that start being the requested offset (kept within what the
 * partition retains) or, for 'earliest' and for a partition `from` leaves out, its first retained offset.
 */
export function readPlan(
  bounds: Readonly<Record<number, PartitionBounds>>,
  from: 'earliest' | PartitionOffsets,
): ReadPlan {
  const remaining = new Map<number, bigint>();
  const starts: Record<number, string> = {};
  for (const [p, { low, high }] of Object.entries(bounds)) {
    const requested = from === 'earliest' ? undefined : from[Number(p)];
    let start = requested === undefined || BigInt(requested) < BigInt(low) ? BigInt(low) : BigInt(requested);
    if (start > BigInt(high)) start = BigInt(high);
    starts[Number(p)] = start.toString();
    if (start < BigInt(high)) remaining.set(Number(p), BigInt(high));
  }
  return { from: from === 'earliest' ? 'earliest' : starts, remaining };
}

/**
 * Every record from `from` (default: the whole topic) up to the end of each partition as it was when the read began,
 * in log order per partition, then returns; onRecord returning 'stop' ends the read early.
 */
export async function readToEnd<T extends SchemaTopic>(
  config: Config,
  topic: T,
  signal: AbortSignal,
  onRecord: (record: ReadRecord<T>) => 'stop' | void,
  from: 'earliest' | PartitionOffsets = 'earliest',
): Promise<void> {
  const plan = readPlan(await topicBounds(config, topic), from);
  const { remaining } = plan;
  if (remaining.size === 0) return;
  const quiet = new AbortController();
  let timer = setTimeout(() => quiet.abort(), FIRST_RECORD_MS);
  try {
    await readTopic(config, topic, { from: plan.from, signal: AbortSignal.any([signal, quiet.signal]) }, (r) => {
      clearTimeout(timer);
      timer = setTimeout(() => quiet.abort(), QUIET_MS);
      const end = remaining.get(r.partition);
      if (end === undefined || BigInt(r.offset) >= end) return undefined; // done, or produced after the read began
      if (onRecord(r) === 'stop') return 'stop';
      if (BigInt(r.offset) + 1n >= end) remaining.delete(r.partition);
      return remaining.size === 0 ? 'stop' : undefined;
    });
  } finally {
    clearTimeout(timer);
  }
  signal.throwIfAborted();
}
