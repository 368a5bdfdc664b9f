// Removes what `asmvs topics create` made under a test's prefix: every pipeline topic and dead-letter topic, and
// every value subject (soft, then permanent delete).
import { request } from 'undici';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { requireKafka } from '../../src/config/config.ts';
import { pipelineTopics } from '../../src/topology.ts';
import { SCHEMA_TOPICS } from '../../src/schemas/registry-files.ts';
import { SCHEMA_REGISTRY_URL, stackConfig } from './stack.ts';

export async function deletePipeline(prefix: string): Promise<void> {
  const admin = createKafka(requireKafka(stackConfig()), 'cleanup').admin();
  await admin.connect();
  await admin
    .deleteTopics({ topics: pipelineTopics({ rawFindingsRetentionMs: 1 }).map((s) => prefix + s.name) })
    .catch(() => undefined);
  await admin.disconnect();
  for (const topic of SCHEMA_TOPICS)
    for (const query of ['', '?permanent=true'])
      await request(`${SCHEMA_REGISTRY_URL}/subjects/${encodeURIComponent(`${prefix}${topic}-value`)}${query}`, {
        method: 'DELETE',
      }).then((r) => r.body.dump());
}
