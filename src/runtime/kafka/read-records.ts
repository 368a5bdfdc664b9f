// Reads any topic's records as they are (key and value bytes, headers, timestamp) from outside a stage: a throw-away
// consumer group that commits nothing and is deleted afterwards. A read starts at the earliest record, the latest, or
// given offsets, over every partition or some; readRecordsToEnd stops at the ends the topic had when it began.
// read-topic.ts decodes on top of this; `asmvs tail` and `asmvs dlq` use it directly (dead letters keep the original
// bytes, which only the source topic's schema decodes).
import { randomUUID } from 'node:crypto';
import type { IHeaders } from 'kafkajs';
import { AsmvsError } from '../../errors.ts';
import { withSession, type KafkaSession, type KafkaSource } from './session.ts';

export interface RawRecord {
  readonly partition: number;
  readonly offset: string;
  readonly key: Buffer | null;
  readonly value: Buffer | null;
  readonly headers: IHeaders;
  /** Milliseconds since the epoch (CreateTime, or LogAppendTime when the topic says so). */
  readonly timestamp: number;
}

/** An offset per partition (as kafkajs spells offsets: decimal strings). */
export type PartitionOffsets = Readonly<Record<number, string>>;

export interface RawReadOptions {
  /**
   * 'earliest': the whole topic; 'latest': what arrives from now on; or an offset per partition, a partition left
   * out starting at its earliest record.
   */
  readonly from: 'earliest' | 'latest' | PartitionOffsets;
  /** Only these partitions (default: all). */
  readonly partitions?: readonly number[];
  readonly signal: AbortSignal;
}

export type OnRecord<R> = (record: R) => 'stop' | void | Promise<'stop' | void>;

export interface PartitionBounds {
  /** The first retained offset. */
  readonly low: string;
  /** The end: the offset the next record will have (the last stable offset, transactions being read committed). */
  readonly high: string;
}

/** Each partition's first retained offset and end; TOPIC_MISSING when the topic does not exist. */
export async function topicBoundsOf(session: KafkaSession, physical: string): Promise<Record<number, PartitionBounds>> {
  const admin = await session.admin();
  const offsets = await admin.fetchTopicOffsets(physical).catch((cause: unknown) => {
    const type = (cause as { type?: string }).type;
    if (type === 'UNKNOWN_TOPIC_OR_PARTITION')
      throw new AsmvsError('TOPIC_MISSING', `topic ${physical} does not exist`, { cause });
    throw cause;
  });
  return Object.fromEntries(offsets.map((o) => [o.partition, { low: o.low, high: o.high }]));
}

/** Calls onRecord for each record of the physical topic until the signal aborts or onRecord returns 'stop'. */
export function readRecords(
  source: KafkaSource,
  physical: string,
  options: RawReadOptions,
  onRecord: OnRecord<RawRecord>,
): Promise<void> {
  return withSession(source, 'reader', async (session) => {
    const groupId = `asmvs-reader-${randomUUID()}`;
    const consumer = session.kafka.consumer({ groupId, maxWaitTimeInMs: 100, readUncommitted: false });
    const only = options.partitions ? new Set(options.partitions) : undefined;
    let finish: () => void = () => undefined;
    const finished = new Promise<void>((resolve) => (finish = resolve));
    options.signal.addEventListener('abort', () => finish(), { once: true });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: physical, fromBeginning: options.from !== 'latest' });
      await consumer.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          if (options.signal.aborted || (only && !only.has(partition))) return;
          const record: RawRecord = {
            partition,
            offset: message.offset,
            key: message.key,
            value: message.value,
            headers: message.headers ?? {},
            timestamp: Number(message.timestamp),
          };
          if ((await onRecord(record)) === 'stop') finish();
        },
      });
      // Seeks issued right after run() apply before the first fetch of each partition.
      if (typeof options.from === 'object') {
        for (const [partition, offset] of Object.entries(options.from))
          consumer.seek({ topic: physical, partition: Number(partition), offset });
      }
      if (only) {
        const others = Object.keys(await topicBoundsOf(session, physical))
          .map(Number)
          .filter((p) => !only.has(p));
        if (others.length > 0) consumer.pause([{ topic: physical, partitions: others }]);
      }
      if (!options.signal.aborted) await finished;
    } finally {
      await consumer.disconnect();
      const admin = await session.admin();
      await admin.deleteGroups([groupId]).catch(() => undefined);
    }
  });
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
export function readRecordsToEnd(
  source: KafkaSource,
  physical: string,
  options: {
    readonly from?: 'earliest' | PartitionOffsets;
    readonly partitions?: readonly number[];
    signal: AbortSignal;
  },
  onRecord: OnRecord<RawRecord>,
): Promise<void> {
  return withSession(source, 'reader', async (session) => {
    const bounds = await topicBoundsOf(session, physical);
    const wanted = options.partitions
      ? Object.fromEntries(Object.entries(bounds).filter(([p]) => options.partitions!.includes(Number(p))))
      : bounds;
    const plan = readPlan(wanted, options.from ?? 'earliest');
    const { remaining } = plan;
    if (remaining.size === 0) return;
    const quiet = new AbortController();
    let timer = setTimeout(() => quiet.abort(), FIRST_RECORD_MS);
    try {
      await readRecords(
        session,
        physical,
        {
          from: plan.from,
          signal: AbortSignal.any([options.signal, quiet.signal]),
          ...(options.partitions ? { partitions: options.partitions } : {}),
        },
        async (r) => {
          clearTimeout(timer);
          timer = setTimeout(() => quiet.abort(), QUIET_MS);
          const end = remaining.get(r.partition);
          if (end === undefined || BigInt(r.offset) >= end) return undefined; // done, or produced after the read began
          if ((await onRecord(r)) === 'stop') return 'stop';
          if (BigInt(r.offset) + 1n >= end) remaining.delete(r.partition);
          return remaining.size === 0 ? 'stop' : undefined;
        },
      );
    } finally {
      clearTimeout(timer);
    }
    options.signal.throwIfAborted();
  });
}
