// `asmvs status <requestId>`: every job-status event of a request still in the (compacted) topic, and where the
// request stands: the topic read to the end it had when the command began.
import { readToEnd } from '../runtime/kafka/read-topic.ts';
import type { KafkaSource } from '../runtime/kafka/session.ts';
import type { JobStatus } from '../schemas/types.gen.ts';
import { JobTracker, type JobOutcome } from './job-tracker.ts';

export async function requestStatus(
  kafka: KafkaSource,
  requestId: string,
  signal: AbortSignal,
): Promise<{ statuses: JobStatus[]; outcome: JobOutcome }> {
  const statuses: JobStatus[] = [];
  await readToEnd(kafka, 'job-status', signal, (r) => {
    if (r.value?.requestId === requestId) statuses.push(r.value);
  });
  // A request that never passed through discovery was an on-demand scan request.
  const tracker = new JobTracker(requestId, statuses.some((st) => st.stage === 'asm_discovery') ? 'discovery' : 'scan');
  for (const st of statuses) tracker.observe(st);
  return { statuses, outcome: tracker.outcome() };
}
