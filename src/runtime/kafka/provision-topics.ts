// Creates the topics of src/topics.ts (idempotent: existing topics are left as they are and reported, except that a
// floor below its declared value is raised, topic-config-raises.ts), and describes them with their partitions and
// retention policy.
import type { Admin } from 'kafkajs';
import type { Kafka } from './client.ts';
import { AsmvsError } from '../../errors.ts';
import { createTopicsSettled } from './create-topics.ts';
import { kafkaError } from './kafka-errors.ts';
import { alteredConfigs, raisesOf, type ConfigRaise } from './topic-config-raises.ts';
import type { TopicSpec } from '../../topics.ts';

export interface TopicState {
  readonly name: string;
  readonly created: boolean;
  readonly partitions: number;
  readonly configs: Readonly<Record<string, string>>;
  /** The floors raised on this existing topic by this call (none for a topic it created). */
  readonly raised: readonly ConfigRaise[];
  /** Which floors this existing topic holds too low were not raised, and why (the topic is as it was); or absent. */
  readonly notRaised?: string;
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
    const states = await describe(
      admin,
      specs.map((s) => options.prefix + s.name),
      created,
    );
    const declared = new Map(specs.map((s) => [options.prefix + s.name, s.configs]));
    const out: TopicState[] = [];
    for (const state of states) {
      const raises = state.created ? [] : raisesOf(declared.get(state.name) ?? {}, state.configs);
      out.push(raises.length === 0 ? state : await raise(admin, state, raises));
    }
    return out;
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

/**
 * Raises `raises` on the existing topic `state`, keeping every other value set on it. A refusal (an ACL, a policy, a
 * broker cap) leaves the topic as it was and is reported in `notRaised`; a broker that does not answer throws.
 */
async function raise(admin: Admin, state: TopicState, raises: readonly ConfigRaise[]): Promise<TopicState> {
  const described = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: 2 /* TOPIC */, name: state.name }],
  });
  const unraised = (why: string) => ({
    ...state,
    notRaised: `${raises.map((r) => r.name).join(', ')} not raised: ${why}`,
  });
  const entries = alteredConfigs(described.resources[0]?.configEntries ?? [], raises);
  if (typeof entries === 'string') return unraised(entries);
  try {
    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: 2 /* TOPIC */, name: state.name, configEntries: entries }],
    });
  } catch (error) {
    // a broker that did not answer (after kafkajs's retries) is an outage, not a refusal
    const mapped = kafkaError(error, `raising the configs of ${state.name}`);
    if (mapped instanceof AsmvsError) throw mapped;
    return unraised(`the broker refused: ${(error as Error).message}`);
  }
  const configs = { ...state.configs };
  for (const r of raises) configs[r.name] = r.to;
  return { ...state, configs, raised: raises };
}

async function describe(admin: Admin, names: string[], created: Set<string>): Promise<TopicState[]> {
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
    raised: [],
  }));
}
