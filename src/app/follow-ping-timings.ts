// A host_scan process on Kafka reads every copy's HOST_DONE records and teaches its ping timing the round trips they
// report (request-timings.ts), so that a copy whose partitions hold no live host of a request pings that request's
// silent addresses with the timeout the others learnt rather than the first one. discovery-progress is read from a
// while back, not from its end: a copy that joins a running request (scale-out) starts with what it has learnt.
import type { Config } from '../config/config.ts';
import type { Logger } from '../processor.ts';
import { readTopic, topicOffsetsAt } from '../runtime/kafka/read-topic.ts';
import type { DiscoveryProgress } from '../schemas/types.gen.ts';
import type { RequestTimings } from '../scanners/tcp/request-timings.ts';

/** How far back a starting copy reads answers: past this, a request's timing is learnt afresh. */
const LOOKBACK_MS = 10 * 60_000;
/** After the reader failed (broker away), the wait before it starts again; scans go on with what is learnt. */
const RETRY_MS = 5_000;

/** Learns from one discovery-progress record: a host another copy (or this one) found up, and how fast it answered. */
export function learnFromProgress(timings: RequestTimings, event: DiscoveryProgress): void {
  if (event.kind === 'HOST_DONE' && event.up && event.rttMs !== null)
    timings.learn(event.requestId, event.index, event.rttMs);
}

/** Runs until the signal aborts; a failing read is logged and started again, never fatal to the stage. */
export async function followPingTimings(
  config: Config,
  timings: RequestTimings,
  o: { readonly log: Logger; readonly signal: AbortSignal },
): Promise<void> {
  while (!o.signal.aborted) {
    try {
      const from = await topicOffsetsAt(config, 'discovery-progress', Date.now() - LOOKBACK_MS);
      await readTopic(config, 'discovery-progress', { from, signal: o.signal }, (r) => {
        if (r.value) learnFromProgress(timings, r.value);
      });
    } catch (error) {
      if (o.signal.aborted) return;
      o.log.warn({ err: error }, 'reading other copies’ ping answers failed; pings use what this copy learns');
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  }
}
