// Produces request events from outside a stage (the CLI's discover / scan --submit): registers the schema,
// encodes, sends with acks=all on an idempotent producer.
import type { Config } from '../../config/config.ts';
import { requireKafka, requireRegistry } from '../../config/config.ts';
import { createRegistryCodec } from '../../schemas/codec.ts';
import type { SchemaTopic } from '../../schemas/registry-files.ts';
import type { TopicValues } from '../../schemas/types.gen.ts';
import { createKafka } from './client.ts';

export async function publishEvent<T extends SchemaTopic>(
  config: Config,
  topic: T,
  key: string,
  value: TopicValues[T],
): Promise<void> {
  const registry = requireRegistry(config);
  const codec = createRegistryCodec({ ...registry, topicPrefix: config.topics.prefix });
  await codec.register([topic]);
  const producer = createKafka(requireKafka(config), 'cli').producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({
      topic: config.topics.prefix + topic,
      acks: -1,
      messages: [{ key, value: codec.encode(topic, value) }],
    });
  } finally {
    await producer.disconnect();
  }
}
