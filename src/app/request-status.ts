// `asmvs status <requestId>`: every job-status event of a request still in the (compacted) topic, and where the
// request stands. Reads from the start to the end offsets taken when it began; stops early once the topic has
// been quiet for a moment (a partition's end can be a transaction marker that is never delivered).
import type { Config } from '../config/config.ts';
import { readTopic, topicEnd } from '../runtime/kafka/read-topic.ts';
import type { JobStatus } from '../schemas/types.gen.ts';
import { JobTracker, type JobOutcome } from './job-tracker.ts';

const QUIET_MS = 2_000;

export async function requestStatus(
  config: Config,
  requestId: string,
  signal: AbortSignal,
): Promise<{ statuses: JobStatus[]; outcome: JobOutcome }> {
  const ends = await topicEnd(config, 'job-status');
  const remaining = new Map(
    Object.entries(ends)
      .filter(([, end]) => end !== '0')
      .map(([p, end]) => [Number(p), BigInt(end)]),
  );
  const statuses: JobStatus[] = [];
  const quiet = new AbortController();
  let timer = setTimeout(() => quiet.abort(), QUIET_MS * 3);
  try {
    if (remaining.size > 0) {
      await readTopic(
        config,
        'job-status',
        { from: 'earliest', signal: AbortSignal.any([signal, quiet.signal]) },
        (r) => {
          clearTimeout(timer);
          timer = setTimeout(() => quiet.abort(), QUIET_MS);
          if (r.value?.requestId === requestId) statuses.push(r.value);
          const end = remaining.get(r.partition);
          if (end !== undefined && BigInt(r.offset) + 1n >= end) remaining.delete(r.partition);
          return remaining.size === 0 ? 'stop' : undefined;
        },
      );
    }
  } finally {
    clearTimeout(timer);
  }
  // A request that never passed through discovery was an on-demand scan request.
  const tracker = new JobTracker(requestId, statuses.some((st) => st.stage === 'asm_discovery') ? 'discovery' : 'scan');
  for (const st of statuses) tracker.observe(st);
  return { statuses, outcome: tracker.outcome() };
}
