// Reloads a keyed stage's timers and state for partitions it was just assigned: reads those partitions of the
// compacted keyed-state topic from the beginning to their end as of the start of the load. kafkajs has no manual
// partition assignment, so the reader is a throw-away consumer group whose assigner gives its one member exactly
// these partitions; it commits nothing and is deleted afterwards.
import { randomUUID } from 'node:crypto';
import kafkajs, { type PartitionAssigner } from 'kafkajs';
import type { Codec } from '../../schemas/codec.ts';
import { internTimerId, keyEntry, packBytes, type KeyEntry } from '../keyed/key-entry.ts';
import type { Kafka } from './client.ts';

const { AssignerProtocol } = kafkajs;

/** `<stage>/<input key>`: the keyed-state topic is shared by the keyed stages. */
export function keyedRecordKey(stage: string, key: string): string {
  return `${stage}/${key}`;
}

function fixedAssigner(topic: string, partitions: readonly number[]): PartitionAssigner {
  const name = 'AsmvsFixedPartitions';
  return () => ({
    name,
    version: 1,
    async assign({ members }) {
      return members.map((m, i) => ({
        memberId: m.memberId,
        memberAssignment: AssignerProtocol.MemberAssignment.encode({
          version: 1,
          assignment: i === 0 ? { [topic]: [...partitions] } : {},
          userData: Buffer.alloc(0),
        }),
      }));
    },
    protocol({ topics }) {
      return {
        name,
        metadata: AssignerProtocol.MemberMetadata.encode({ version: 1, topics, userData: Buffer.alloc(0) }),
      };
    },
  });
}

export interface LoadOptions {
  readonly kafka: Kafka;
  readonly codec: Codec;
  /** The physical keyed-state topic. */
  readonly topic: string;
  readonly stage: string;
  readonly partitions: readonly number[];
  readonly signal: AbortSignal;
}

/** Each partition's entries by input key; partitions with no records map to an empty map. */
export async function loadKeyedPartitions(o: LoadOptions): Promise<Map<number, Map<string, KeyEntry>>> {
  const result = new Map<number, Map<string, KeyEntry>>(o.partitions.map((p) => [p, new Map()]));
  const admin = o.kafka.admin();
  await admin.connect();
  let ends: Map<number, bigint>;
  try {
    const offsets = await admin.fetchTopicOffsets(o.topic);
    ends = new Map(
      offsets
        .filter((x) => result.has(x.partition) && BigInt(x.high) > BigInt(x.low))
        .map((x) => [x.partition, BigInt(x.high)]),
    );
  } finally {
    await admin.disconnect();
  }
  if (ends.size === 0) return result;

  const prefix = `${o.stage}/`;
  const groupId = `asmvs-keyed-load-${randomUUID()}`;
  const consumer = o.kafka.consumer({
    groupId,
    partitionAssigners: [fixedAssigner(o.topic, [...ends.keys()])],
    maxWaitTimeInMs: 50,
    maxBytesPerPartition: 1024 * 1024,
    maxBytes: 4 * 1024 * 1024,
    readUncommitted: false,
    allowAutoTopicCreation: false,
  });
  let finish: (error?: unknown) => void = () => undefined;
  const finished = new Promise<void>((resolve, reject) => {
    finish = (error) => (error === undefined ? resolve() : reject(error));
  });
  const onAbort = () => finish(o.signal.reason);
  o.signal.addEventListener('abort', onAbort, { once: true });
  consumer.on(consumer.events.CRASH, (e) => finish(e.payload.error));
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: o.topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const entries = result.get(batch.partition);
        const end = ends.get(batch.partition);
        if (!entries || end === undefined) return;
        for (const message of batch.messages) {
          if (BigInt(message.offset) >= end) break;
          const key = message.key?.toString();
          if (key === undefined || !key.startsWith(prefix)) continue;
          const inputKey = key.slice(prefix.length);
          if (message.value === null || message.value.length === 0) entries.delete(inputKey);
          else {
            const entry = toEntry(await o.codec.decode('keyed-state', message.value));
            if (entry === undefined) entries.delete(inputKey);
            else entries.set(inputKey, entry);
          }
        }
        if (BigInt(batch.lastOffset()) + 1n >= end) {
          ends.delete(batch.partition);
          if (ends.size === 0) finish();
        }
      },
    });
    await finished;
  } finally {
    o.signal.removeEventListener('abort', onAbort);
    await consumer.disconnect().catch(() => undefined);
    const cleanup = o.kafka.admin();
    await cleanup
      .connect()
      .then(() => cleanup.deleteGroups([groupId]))
      .catch(() => undefined)
      .finally(() => cleanup.disconnect());
  }
  return result;
}

function toEntry(record: {
  state: string | null;
  timers: { id: string; at: number; scheduledAt: number; value: Buffer }[];
}): KeyEntry | undefined {
  // Packed into strings: nothing keeps a view of the fetch response alive for as long as the timer waits.
  const timers = record.timers.map((t) => ({
    id: internTimerId(t.id),
    at: Number(t.at),
    scheduledAt: Number(t.scheduledAt),
    packed: packBytes(t.value),
  }));
  return keyEntry(record.state ?? undefined, timers);
}
