// `asmvs topics create|describe`: tables of topics (and of registered subjects), or JSON.
import { createApp } from '../../app/app.ts';
import { appConfig } from '../../app/app-config.ts';
import type { TopicState } from '../../app/app.ts';
import { renderTable } from '../table.ts';

const HEADER = ['topic', 'partitions', 'cleanup.policy', 'retention.ms', 'state'];

function topicRows(topics: readonly TopicState[]): string[][] {
  return topics.map((t) => [
    t.name,
    String(t.partitions),
    t.configs['cleanup.policy'] ?? '',
    t.configs['retention.ms'] ?? '',
    t.created ? 'created' : 'exists',
  ]);
}

export async function create(opts: { json?: boolean }): Promise<void> {
  const app = createApp(appConfig(['kafka', 'registry']));
  try {
    const report = await app.topics.create();
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
