// Creates the topics of src/topics.ts (idempotent: existing topics are left as they are and reported),
// and describes them with their partitions and retention policy.
import type { Kafka } from './client.ts';
import { createTopicsSettled } from './create-topics.ts';
import type { TopicSpec } from '../../topics.ts';

export interface TopicState {
  readonly name: string;
  readonly created: boolean;
  readonly partitions: number;
  readonly configs: Readonly<Record<string, string>>;
}

const DESCRIBED_CONFIGS = ['cleanup.policy', 'retention.ms', 'min.compaction.lag.ms', 'max.message.bytes'];

export async function provisionTopics(
  kafka: Kafka,
  specs: readonly TopicSpec[],
  options: { prefix: string; partitions: number; replicationFactor: number },
): Promise<TopicState[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = specs.filter((s) => !existing.has(options.prefix + s.name));
    if (missing.length > 0) {
      await createTopicsSettled(
        admin,
        missing.map((s) => ({
          topic: options.prefix + s.name,
          numPartitions: options.partitions,
          replicationFactor: options.replicationFactor,
          configEntries: Object.entries(s.configs).map(([name, value]) => ({ name, value })),
        })),
      );
    }
    const created = new Set(missing.map((s) => options.prefix + s.name));
    return await describe(
      admin,
      specs.map((s) => options.prefix + s.name),
      created,
    );
  } finally {
    await admin.disconnect();
  }
}

export async function describeTopics(kafka: Kafka, names: readonly string[]): Promise<TopicState[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    return await describe(
      admin,
      names.filter((n) => existing.has(n)),
      new Set(),
    );
  } finally {
    await admin.disconnect();
  }
}

async function describe(
  admin: ReturnType<Kafka['admin']>,
  names: string[],
  created: Set<string>,
): Promise<TopicState[]> {
  if (names.length === 0) return [];
  const metadata = await admin.fetchTopicMetadata({ topics: names });
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: names.map((name) => ({ type: 2 /* TOPIC */, name, configNames: DESCRIBED_CONFIGS })),
  });
  const configsByTopic = new Map(
    configs.resources.map((r) => [
      r.resourceName,
      Object.fromEntries(r.configEntries.map((e) => [e.configName, e.configValue])),
    ]),
  );
  const order = new Map(names.map((n, i) => [n, i]));
  const sorted = [...metadata.topics].sort((a, b) => (order.get(a.name) ?? 0) - (order.get(b.name) ?? 0));
  return sorted.map((t) => ({
    name: t.name,
    created: created.has(t.name),
    partitions: t.partitions.length,
    configs: configsByTopic.get(t.name) ?? {},
  }));
}
