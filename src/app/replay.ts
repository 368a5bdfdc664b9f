// `asmvs replay raw-findings`: re-runs normalization over the retained raw findings. The group (by default the
// live vs_normalization group) is moved back to the start point — refused while it has live members — then
// vs_normalization runs in this process until the group has committed everything that was in the topic when the
// replay began. Deterministic ids make the result an upsert of the same findings.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config/config.ts';
import { committedOffsets, rewindGroup } from '../runtime/kafka/group-admin.ts';
import { replayProgress, type Progress } from './replay-progress.ts';
import { runStages } from './run-stages.ts';

export interface ReplayOptions {
  readonly from: 'earliest' | Date;
  readonly groupId?: string;
  readonly signal: AbortSignal;
  readonly onProgress: (p: Progress) => void;
}

export async function replayRawFindings(config: Config, options: ReplayOptions): Promise<Progress> {
  const topic = `${config.topics.prefix}raw-findings`;
  const groupId = options.groupId ?? `${config.topics.prefix}asmvs.vs_normalization`;
  const ranges = await rewindGroup(config, topic, groupId, options.from);
  const started = Date.now();
  const running = await runStages(config, ['vs_normalization'], { groupId });
  try {
    for (;;) {
      const progress = replayProgress(ranges, await committedOffsets(config, topic, groupId), Date.now() - started);
      options.onProgress(progress);
      if (progress.finished || options.signal.aborted) return progress;
      await sleep(1_000, undefined, { signal: options.signal }).catch(() => undefined);
    }
  } finally {
    await running.stop();
  }
}
