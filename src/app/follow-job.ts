// Waits for a request to finish by reading job-status from the given offsets on, printing each status.
import { AsmvsError } from '../errors.ts';
import { readTopic, type PartitionOffsets } from '../runtime/kafka/read-topic.ts';
import type { KafkaSource } from '../runtime/kafka/session.ts';
import type { JobStatus } from '../schemas/types.gen.ts';
import { JobTracker, type JobOutcome } from './job-tracker.ts';

export async function followJob(
  kafka: KafkaSource,
  requestId: string,
  from: PartitionOffsets | 'earliest',
  options: { timeoutMs: number; onStatus: (s: JobStatus) => void; signal?: AbortSignal; kind?: 'discovery' | 'scan' },
): Promise<Exclude<JobOutcome, { state: 'running' }>> {
  const tracker = new JobTracker(requestId, options.kind);
  const signal = AbortSignal.any([AbortSignal.timeout(options.timeoutMs), ...(options.signal ? [options.signal] : [])]);
  let outcome: JobOutcome = tracker.outcome();
  await readTopic(kafka, 'job-status', { from, signal }, (record) => {
    if (!record.value || record.value.requestId !== requestId) return;
    options.onStatus(record.value);
    outcome = tracker.observe(record.value);
    return outcome.state === 'running' ? undefined : 'stop';
  });
  if (outcome.state === 'running') {
    throw new AsmvsError(
      'SCAN_DEADLINE_EXCEEDED',
      `request ${requestId} did not finish within ${options.timeoutMs} ms`,
    );
  }
  return outcome;
}
