// `asmvs replay raw-findings`: re-runs normalization over the retained raw findings. The group (by default the
// live vs_normalization group) is moved back to the start point — refused while it has live members — then
// vs_normalization runs in this process until the group has committed everything that was in the topic when the
// replay began. Deterministic ids make the result an upsert of the same findings.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config/config.ts';
import { AsmvsError } from '../errors.ts';
import { provisionTopics } from '../runtime/kafka/provision-topics.ts';
import { withSession, type KafkaSource } from '../runtime/kafka/session.ts';
import { type TopicSpec } from '../topics.ts';
import { pipelineTopics } from '../topology.ts';
import { committedOffsets, rewindGroup } from '../runtime/kafka/group-admin.ts';
import { replayProgress, type Progress } from './replay-progress.ts';
import { runStages } from './run-stages.ts';

export interface ReplayOptions {
  readonly from: 'earliest' | Date;
  readonly groupId?: string;
  /** Write the findings to this topic (created like normalized-findings) instead of normalized-findings, and the
   * scan summaries to `<to>.scan-results`: a side-by-side run that leaves the live topics and groups alone. */
  readonly to?: string;
  readonly signal: AbortSignal;
  readonly onProgress: (p: Progress) => void;
}

async function sideTopics(config: Config, kafka: KafkaSource, to: string): Promise<Record<string, string>> {
  if (!/^[A-Za-z0-9._-]{1,200}$/.test(to))
    throw new AsmvsError('USAGE', `--to must be a topic name, got ${JSON.stringify(to.slice(0, 60))}`);
  const names = { 'normalized-findings': to, 'scan-results': `${to}.scan-results` };
  const specs = pipelineTopics({ rawFindingsRetentionMs: config.topics.rawFindingsRetentionMs })
    .filter((s): s is TopicSpec & { name: keyof typeof names } => s.name in names)
    .map((s) => ({ ...s, name: names[s.name] }));
  await withSession(kafka, 'admin', (session) =>
    provisionTopics(session.kafka, specs, {
      prefix: '',
      partitions: config.topics.partitions,
      replicationFactor: config.topics.replicationFactor,
    }),
  );
  return names;
}

/** On the session given (the app's), or on one opened from `config` for each call. */
export async function replayRawFindings(
  config: Config,
  options: ReplayOptions,
  kafka: KafkaSource = config,
): Promise<Progress> {
  const topic = `${config.topics.prefix}raw-findings`;
  const live = `${config.topics.prefix}asmvs.vs_normalization`;
  const groupId = options.groupId ?? (options.to ? `${live}.replay.${options.to}` : live);
  const outputTopics = options.to ? await sideTopics(config, kafka, options.to) : undefined;
  const ranges = await rewindGroup(kafka, topic, groupId, options.from);
  const started = Date.now();
  const running = await runStages(config, ['vs_normalization'], { groupId, ...(outputTopics ? { outputTopics } : {}) });
  try {
    for (;;) {
      const progress = replayProgress(ranges, await committedOffsets(kafka, topic, groupId), Date.now() - started);
      options.onProgress(progress);
      if (progress.finished || options.signal.aborted) return progress;
      await sleep(1_000, undefined, { signal: options.signal }).catch(() => undefined);
    }
  } finally {
    await running.stop();
  }
}
