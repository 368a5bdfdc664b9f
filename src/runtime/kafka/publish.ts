// Produces events from outside a stage (the CLI's discover / scan --submit, tests, benchmarks): registers the
// schema, encodes, sends with acks=all on an idempotent producer.
import type { Config } from '../../config/config.ts';
import { requireKafka, requireRegistry } from '../../config/config.ts';
import { createRegistryCodec } from '../../schemas/codec.ts';
import type { SchemaTopic } from '../../schemas/registry-files.ts';
import type { TopicValues } from '../../schemas/types.gen.ts';
import { createKafka } from './client.ts';

const BATCH = 1_000;

export function publishEvent<T extends SchemaTopic>(
  config: Config,
  topic: T,
  key: string,
  value: TopicValues[T],
  headers?: Readonly<Record<string, string>>,
): Promise<void> {
  return publishEvents(config, topic, [{ key, value, ...(headers ? { headers } : {}) }]);
}

/** Many events in batches (one registration, one producer). */
export async function publishEvents<T extends SchemaTopic>(
  config: Config,
  topic: T,
  events: readonly {
    readonly key: string;
    readonly value: TopicValues[T];
    /** e.g. traceparent: the trace a submitted request starts */
    readonly headers?: Readonly<Record<string, string>>;
  }[],
): Promise<void> {
  const registry = requireRegistry(config);
  const codec = createRegistryCodec({ ...registry, topicPrefix: config.topics.prefix });
  await codec.register([topic]);
  const producer = createKafka(requireKafka(config), 'cli').producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    for (let i = 0; i < events.length; i += BATCH) {
      const messages = events.slice(i, i + BATCH).map((e) => ({
        key: e.key,
        value: codec.encode(topic, e.value),
        ...(e.headers ? { headers: { ...e.headers } } : {}),
      }));
      await producer.send({ topic: config.topics.prefix + topic, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
}
