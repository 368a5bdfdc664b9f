// Reads a topic from outside a stage (the CLI's tail, status, --follow): a throw-away consumer group that commits
// nothing and is deleted afterwards, decoding every value through the registry. Undecodable records are reported,
// not fatal: a reader must be able to look at a topic that holds poison.
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

export interface ReadOptions {
  /** 'earliest': the whole topic; 'latest': what arrives from now on; or the offsets of topicEnd() taken earlier. */
  readonly from: 'earliest' | 'latest' | Readonly<Record<number, string>>;
  readonly signal: AbortSignal;
}

/** The current end offset of each partition: read from here to see only what is produced after this call. */
export async function topicEnd(config: Config, topic: SchemaTopic): Promise<Record<number, string>> {
  const admin = createKafka(requireKafka(config), 'reader').admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(config.topics.prefix + topic);
    return Object.fromEntries(offsets.map((o) => [o.partition, o.offset]));
  } finally {
    await admin.disconnect();
  }
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
