// `asmvs topics create|describe`: tables of topics (and of registered subjects), or JSON.
import { createApp } from '../../app/app.ts';
import { appConfig } from '../../app/app-config.ts';
import type { TopicState } from '../../app/app.ts';
import { renderTable } from '../table.ts';

const HEADER = ['topic', 'partitions', 'cleanup.policy', 'retention.ms', 'max.message.bytes', 'state'];

function stateOf(t: TopicState): string {
  if (t.created) return 'created';
  if (t.notRaised !== undefined) return `exists, ${t.notRaised}`;
  if (t.raised.length > 0) return `exists, raised ${t.raised.map((r) => `${r.name} from ${r.from}`).join(', ')}`;
  return 'exists';
}

function topicRows(topics: readonly TopicState[]): string[][] {
  return topics.map((t) => [
    t.name,
    String(t.partitions),
    t.configs['cleanup.policy'] ?? '',
    t.configs['retention.ms'] ?? '',
    t.configs['max.message.bytes'] ?? '',
    stateOf(t),
  ]);
}

export async function create(opts: { json?: boolean }): Promise<void> {
  const app = createApp(appConfig(['kafka', 'registry']));
  try {
    const report = await app.topics.create();
    // An existing topic left below a floor the pipeline needs: its stages would dead-letter what it cannot take.
    for (const t of report.topics)
      if (t.notRaised !== undefined) {
        process.stderr.write(`asmvs: topic ${t.name} stays below what the pipeline needs: ${t.notRaised}\n`);
        process.exitCode = 1;
      }
    if (opts.json) return void process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(renderTable(HEADER, topicRows(report.topics)));
    process.stdout.write(
      renderTable(
        ['subject', 'schema id'],
        report.subjects.map((s) => [s.subject, String(s.schemaId)]),
      ),
    );
  } finally {
    await app.close();
  }
}

export async function describe(opts: { json?: boolean }): Promise<void> {
  const app = createApp(appConfig(['kafka']));
  try {
    const states = await app.topics.describe();
    if (opts.json) return void process.stdout.write(`${JSON.stringify(states, null, 2)}\n`);
    process.stdout.write(renderTable(HEADER, topicRows(states)));
  } finally {
    await app.close();
  }
}
