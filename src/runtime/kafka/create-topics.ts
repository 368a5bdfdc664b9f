// Creates topics and returns once every partition has a leader. kafkajs 2.2.4's `waitForLeaders` gives up with
// UNKNOWN_TOPIC_OR_PARTITION ("This server does not host this topic-partition") when a busy broker is slow to
// publish the new topics' metadata, although the creation succeeded: that answer is retried here until the
// metadata shows every partition led, within a bound.
import type { Admin, ITopicConfig } from 'kafkajs';
import { AsmvsError } from '../../errors.ts';
import { sleep } from '../backoff.ts';

const SETTLE_MS = 60_000;

function isRetriable(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { retriable?: unknown }).retriable === true;
}

export async function createTopicsSettled(admin: Admin, topics: ITopicConfig[]): Promise<void> {
  if (topics.length === 0) return;
  try {
    await admin.createTopics({ waitForLeaders: true, topics });
    return;
  } catch (error) {
    if (!isRetriable(error)) throw error;
  }
  const names = topics.map((t) => t.topic);
  const deadline = Date.now() + SETTLE_MS;
  for (let delay = 100; ; delay = Math.min(delay * 2, 2_000)) {
    try {
      const { topics: meta } = await admin.fetchTopicMetadata({ topics: names });
      const led = meta.every((t) => t.partitions.length > 0 && t.partitions.every((p) => p.leader >= 0));
      if (led && meta.length === names.length) return;
    } catch (error) {
      if (!isRetriable(error)) throw error;
    }
    if (Date.now() > deadline)
      throw new AsmvsError('KAFKA_UNAVAILABLE', `topics ${names.join(', ')} have no leaders after ${SETTLE_MS} ms`);
    await sleep(delay);
  }
}
