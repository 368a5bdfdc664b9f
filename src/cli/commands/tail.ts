// asmvs tail <topic> [-o beginning|end|N|-N] [-p n] [-e] [--max N]: a topic's records as JSON lines, with their time,
// key and headers; a dead-letter topic (<topic>.dlq) decoded with its source topic's schema.
import { Command, Option } from 'commander';
import { DEAD_LETTER_TOPICS, SCHEMA_TOPICS } from '../../app/names.ts';
import { lazy } from '../lazy.ts';

export function tailCommand(): Command {
  return new Command('tail')
    .description('print the decoded records of a topic as JSON lines (time, partition, offset, key, headers, value)')
    .argument('<topic>', `one of: ${[...SCHEMA_TOPICS, ...DEAD_LETTER_TOPICS].join(', ')}`)
    .addOption(
      new Option(
        '-o, --offset <where>',
        'where each partition starts: beginning, end (default), an offset, or -N for the last N records',
      ).conflicts('fromBeginning'),
    )
    .option('--from-beginning', 'the same as --offset beginning')
    .option('-p, --partition <n>', 'only this partition')
    .option('-e, --exit-at-end', 'stop at the end the topic had when the read began, instead of waiting for more')
    .option('--max <n>', 'stop after this many records')
    .action(lazy(async () => (await import('../actions/tail.ts')).tail));
}
