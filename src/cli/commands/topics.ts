// asmvs topics [create|describe] [--json]
import { Command } from 'commander';
import { lazy } from '../lazy.ts';

export function topicsCommand(): Command {
  const topics = new Command('topics').description('create or describe the Kafka topics and their schemas');
  topics
    .command('create')
    .description('create every topic (idempotent) and register every value schema under <topic>-value')
    .option('--json', 'print JSON')
    .action(lazy(async () => (await import('../actions/topics.ts')).create));
  topics
    .command('describe', { isDefault: true })
    .description('list the topics that exist, with partitions and retention policy')
    .option('--json', 'print JSON')
    .action(lazy(async () => (await import('../actions/topics.ts')).describe));
  return topics;
}
