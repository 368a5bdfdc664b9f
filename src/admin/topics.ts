// `asmvs topics`: creates every topic of DESIGN.md §1 (and a dead-letter topic per input topic) and registers
// each value schema under `<topic>-value`; or describes what exists.
import type { Config } from '../config/config.ts';
import { describeTopics, provisionTopics, type TopicState } from '../runtime/kafka/provision-topics.ts';
import { withSession, type KafkaSource } from '../runtime/kafka/session.ts';
import { SCHEMA_TOPICS } from '../schemas/registry-files.ts';
import { pipelineTopics } from '../topology.ts';

export interface TopicReport {
  readonly topics: TopicState[];
  readonly subjects: { readonly subject: string; readonly schemaId: number }[];
}

/** On the session given (the app's), or on one opened from `config` for this call. */
export function createTopics(config: Config, kafka: KafkaSource = config): Promise<TopicReport> {
  const { prefix, partitions, replicationFactor, rawFindingsRetentionMs } = config.topics;
  return withSession(kafka, 'admin', async (session) => {
    const topics = await provisionTopics(session.kafka, pipelineTopics({ rawFindingsRetentionMs }), {
      prefix,
      partitions,
      replicationFactor,
    });
    await session.codec.register(SCHEMA_TOPICS);
    const subjects = SCHEMA_TOPICS.map((t) => ({
      subject: `${prefix}${t}-value`,
      schemaId: session.codec.schemaId(t),
    }));
    return { topics, subjects };
  });
}

export function describeAllTopics(config: Config, kafka: KafkaSource = config): Promise<TopicState[]> {
  const { prefix, rawFindingsRetentionMs } = config.topics;
  const names = pipelineTopics({ rawFindingsRetentionMs }).map((s) => prefix + s.name);
  return withSession(kafka, 'admin', (session) => describeTopics(session.kafka, names));
}
