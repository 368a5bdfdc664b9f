// `asmvs topics`: creates every topic of DESIGN.md §1 (and a dead-letter topic per input topic) and registers
// each value schema under `<topic>-value`; or describes what exists.
import type { Config } from '../config/config.ts';
import { requireKafka, requireRegistry } from '../config/config.ts';
import { createKafka } from '../runtime/kafka/client.ts';
import { describeTopics, provisionTopics, type TopicState } from '../runtime/kafka/provision-topics.ts';
import { createRegistryCodec } from '../schemas/codec.ts';
import { SCHEMA_TOPICS } from '../schemas/registry-files.ts';
import { pipelineTopics } from '../topology.ts';

export interface TopicReport {
  readonly topics: TopicState[];
  readonly subjects: { readonly subject: string; readonly schemaId: number }[];
}

export async function createTopics(config: Config): Promise<TopicReport> {
  const kafkaConfig = requireKafka(config);
  const registry = requireRegistry(config);
  const { prefix, partitions, replicationFactor, rawFindingsRetentionMs } = config.topics;
  const topics = await provisionTopics(createKafka(kafkaConfig, 'admin'), pipelineTopics({ rawFindingsRetentionMs }), {
    prefix,
    partitions,
    replicationFactor,
  });
  const codec = createRegistryCodec({ ...registry, topicPrefix: prefix });
  await codec.register(SCHEMA_TOPICS);
  const subjects = SCHEMA_TOPICS.map((t) => ({ subject: `${prefix}${t}-value`, schemaId: codec.schemaId(t) }));
  return { topics, subjects };
}

export async function describeAllTopics(config: Config): Promise<TopicState[]> {
  const { prefix, rawFindingsRetentionMs } = config.topics;
  const names = pipelineTopics({ rawFindingsRetentionMs }).map((s) => prefix + s.name);
  return describeTopics(createKafka(requireKafka(config), 'admin'), names);
}
