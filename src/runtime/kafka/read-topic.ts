// Reads a topic's events from outside a stage (the CLI's status, changes, monitor list, --follow), decoding every
// value through the registry. Undecodable records are reported, not fatal: a reader must be able to look at a topic
// that holds poison. A read starts at the earliest record, the latest, or given offsets (e.g. those of a time,
// topicOffsetsAt); readToEnd stops at the ends the topic had when it began. The records come from read-records.ts.
import type { Codec } from '../../schemas/codec.ts';
import type { SchemaTopic } from '../../schemas/registry-files.ts';
import type { TopicValues } from '../../schemas/types.gen.ts';
import { AsmvsError } from '../../errors.ts';
import {
  readRecords,
  readRecordsToEnd,
  topicBoundsOf,
  type OnRecord,
  type PartitionOffsets,
  type RawRecord,
} from './read-records.ts';
import { withSession, type KafkaSource } from './session.ts';

export { readPlan, type PartitionOffsets, type ReadPlan } from './read-records.ts';

export interface ReadRecord<T extends SchemaTopic> {
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly timestamp: number;
  readonly value?: TopicValues[T];
  readonly error?: AsmvsError;
}

export interface ReadOptions {
  /**
   * 'earliest': the whole topic; 'latest': what arrives from now on; or an offset per partition (topicEnd(),
   * topicOffsetsAt()), a partition left out starting at its earliest record.
   */
  readonly from: 'earliest' | 'latest' | PartitionOffsets;
  readonly signal: AbortSignal;
}

/** The value decoded as `topic`'s reader type, or the non-retryable decoding error (a registry outage throws). */
export async function decodeValue<T extends SchemaTopic>(
  codec: Codec,
  topic: T,
  bytes: Buffer | null,
): Promise<{ value: TopicValues[T] } | { error: AsmvsError }> {
  try {
    return { value: await codec.decode(topic, bytes ?? Buffer.alloc(0)) };
  } catch (error) {
    if (!(error instanceof AsmvsError) || error.retryable) throw error;
    return { error };
  }
}

function decoded<T extends SchemaTopic>(codec: Codec, topic: T, onRecord: OnRecord<ReadRecord<T>>) {
  return async (r: RawRecord) =>
    onRecord({
      partition: r.partition,
      offset: r.offset,
      key: r.key?.toString() ?? null,
      timestamp: r.timestamp,
      ...(await decodeValue(codec, topic, r.value)),
    });
}

/** The current end offset of each partition: read from here to see only what is produced after this call. */
export function topicEnd(source: KafkaSource, topic: SchemaTopic): Promise<Record<number, string>> {
  return withSession(source, 'reader', async (session) => {
    const bounds = await topicBoundsOf(session, session.prefix + topic);
    return Object.fromEntries(Object.entries(bounds).map(([p, b]) => [p, b.high]));
  });
}

/**
 * The offset of each partition's first record with a timestamp at or after `timestampMs` (the producer's CreateTime
 * unless the topic says LogAppendTime); a partition without one starts at its end. Timestamps need not grow along a
 * partition: records after the offset may be older, and none before it is at or after `timestampMs`.
 */
export function topicOffsetsAt(
  source: KafkaSource,
  topic: SchemaTopic,
  timestampMs: number,
): Promise<Record<number, string>> {
  return withSession(source, 'reader', async (session) => {
    const physical = session.prefix + topic;
    const admin = await session.admin();
    // The ends first: a partition that has no such record yet starts where it ended before the lookup, so a record
    // produced in between is still read.
    const ends = await admin.fetchTopicOffsets(physical);
    const found = await admin.fetchTopicOffsetsByTimestamp(physical, timestampMs);
    return startsAtOrEnd(found, Object.fromEntries(ends.map((o) => [o.partition, o.high])));
  });
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
export function readTopic<T extends SchemaTopic>(
  source: KafkaSource,
  topic: T,
  options: ReadOptions,
  onRecord: OnRecord<ReadRecord<T>>,
): Promise<void> {
  return withSession(source, 'reader', (session) =>
    readRecords(session, session.prefix + topic, options, decoded(session.codec, topic, onRecord)),
  );
}

/**
 * Every record from `from` (default: the whole topic) up to the end of each partition as it was when the read began,
 * in log order per partition, then returns; onRecord returning 'stop' ends the read early.
 */
export function readToEnd<T extends SchemaTopic>(
  source: KafkaSource,
  topic: T,
  signal: AbortSignal,
  onRecord: OnRecord<ReadRecord<T>>,
  from: 'earliest' | PartitionOffsets = 'earliest',
): Promise<void> {
  return withSession(source, 'reader', (session) =>
    readRecordsToEnd(session, session.prefix + topic, { from, signal }, decoded(session.codec, topic, onRecord)),
  );
}
