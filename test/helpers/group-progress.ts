// Whether a consumer group has committed every record of a topic (as it ends now): a stage that has caught up.
import type { Config } from '../../src/config/config.ts';
import { requireKafka } from '../../src/config/config.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';

export async function caughtUp(config: Config, groupId: string, topic: string): Promise<boolean> {
  const admin = createKafka(requireKafka(config), 'test-progress').admin();
  await admin.connect();
  try {
    const physical = config.topics.prefix + topic;
    const ends = await admin.fetchTopicOffsets(physical);
    const committed = (await admin.fetchOffsets({ groupId, topics: [physical] }))[0]?.partitions ?? [];
    // an empty partition has nothing to commit: its unset offset (-1) counts as 0
    const at = (p: number) => Math.max(0, Number(committed.find((c) => c.partition === p)?.offset ?? 0));
    return ends.every((e) => at(e.partition) >= Number(e.high));
  } finally {
    await admin.disconnect();
  }
}
