// Produces events from outside a stage (the CLI's discover / scan --submit, tests, benchmarks): registers the
// schema, encodes, sends with acks=all on the session's idempotent producer, in requests of at most
// MAX_REQUEST_BYTES (a partition's batch larger than the topic takes is refused for good).
import type { IHeaders, Message } from 'kafkajs';
import type { SchemaTopic } from '../../schemas/registry-files.ts';
import type { TopicValues } from '../../schemas/types.gen.ts';
import { MAX_REQUEST_BYTES, runsOf, wireBytes } from './record-bytes.ts';
import { withSession, type KafkaSource } from './session.ts';

const BATCH = 1_000;

export function publishEvent<T extends SchemaTopic>(
  source: KafkaSource,
  topic: T,
  key: string,
  value: TopicValues[T],
  headers?: Readonly<Record<string, string>>,
): Promise<void> {
  return publishEvents(source, topic, [{ key, value, ...(headers ? { headers } : {}) }]);
}

/** Many events in batches (one registration, one producer). */
export function publishEvents<T extends SchemaTopic>(
  source: KafkaSource,
  topic: T,
  events: readonly {
    readonly key: string;
    readonly value: TopicValues[T];
    /** e.g. traceparent: the trace a submitted request starts */
    readonly headers?: Readonly<Record<string, string>>;
  }[],
): Promise<void> {
  return withSession(source, 'cli', async (session) => {
    const { codec } = session;
    await codec.register([topic]);
    const producer = await session.producer();
    for (let i = 0; i < events.length; i += BATCH) {
      const messages = events.slice(i, i + BATCH).map((e) => ({
        key: e.key,
        value: codec.encode(topic, e.value),
        ...(e.headers ? { headers: { ...e.headers } } : {}),
      }));
      for (const run of runsOf(messages, wireBytes, MAX_REQUEST_BYTES))
        await producer.send({ topic: session.prefix + topic, acks: -1, messages: run });
    }
  });
}

/** Records as they are (bytes, key, headers), e.g. dead letters re-driven to their source topic; acks=all. */
export function publishRaw(
  source: KafkaSource,
  physical: string,
  records: readonly { readonly key: Buffer | null; readonly value: Buffer | null; readonly headers: IHeaders }[],
): Promise<void> {
  return withSession(source, 'cli', async (session) => {
    const producer = await session.producer();
    const messages: Message[] = records.map((r) => ({ ...r }));
    for (const run of runsOf(messages, wireBytes, MAX_REQUEST_BYTES))
      await producer.send({ topic: physical, acks: -1, messages: run });
  });
}
