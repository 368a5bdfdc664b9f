// Removes what a test made under its topic prefix on the shared stack: its consumer groups, then (deletePipeline)
// its topics and value subjects.
import type { Config } from '../../src/config/config.ts';
import { requireKafka } from '../../src/config/config.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { deletePipeline } from './pipeline-topics.ts';

export async function removePrefixed(config: Config): Promise<void> {
  const { prefix } = config.topics;
  const admin = createKafka(requireKafka(config), 'test-cleanup').admin();
  await admin.connect();
  try {
    const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
    await admin.deleteGroups(groups).catch(() => undefined);
  } finally {
    await admin.disconnect();
  }
  await deletePipeline(prefix);
}
