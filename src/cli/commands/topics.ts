// asmvs topics [create|describe] [--json]
import { Command } from 'commander';
import { createTopics, describeAllTopics } from '../../admin/topics.ts';
import { loadConfig } from '../../config/load.ts';
import type { TopicState } from '../../runtime/kafka/provision-topics.ts';
import { renderTable } from '../table.ts';

function topicRows(topics: readonly TopicState[]): string[][] {
  return topics.map((t) => [
    t.name,
    String(t.partitions),
    t.configs['cleanup.policy'] ?? '',
    t.configs['retention.ms'] ?? '',
    t.created ? 'created' : 'exists',
  ]);
}

const HEADER = ['topic', 'partitions', 'cleanup.policy', 'retention.ms', 'state'];

export function topicsCommand(): Command {
  const topics = new Command('topics').description('create or describe the Kafka topics and their schemas');
  topics
    .command('create')
    .description('create every topic (idempotent) and register every value schema under <topic>-value')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const report = await createTopics(loadConfig());
      if (opts.json) return void process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      process.stdout.write(renderTable(HEADER, topicRows(report.topics)));
      process.stdout.write(
        renderTable(
          ['subject', 'schema id'],
          report.subjects.map((s) => [s.subject, String(s.schemaId)]),
        ),
      );
    });
  topics
    .command('describe', { isDefault: true })
    .description('list the topics that exist, with partitions and retention policy')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const states = await describeAllTopics(loadConfig());
      if (opts.json) return void process.stdout.write(`${JSON.stringify(states, null, 2)}\n`);
      process.stdout.write(renderTable(HEADER, topicRows(states)));
    });
  return topics;
}
