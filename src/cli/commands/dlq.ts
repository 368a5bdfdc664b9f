// asmvs dlq list [topic…] | show <topic> [--code C] [--record p:o] [--max n] [--json] |
//           redrive <topic> (--all | --code C | --record p:o) [--dry-run] [--again]
// The dead-letter topics operated: counts per error code, records with their failure decoded, and re-driving selected
// records to their source topic once the cause is fixed.
import { Command } from 'commander';
import { DEAD_LETTER_TOPICS } from '../../app/names.ts';
import { lazy } from '../lazy.ts';

const repeat = (v: string, all: string[] | undefined) => [...(all ?? []), v];
const TOPIC = `a dead-letter topic (the .dlq may be left out): ${DEAD_LETTER_TOPICS.join(', ')}`;

function selectionOptions(command: Command): Command {
  return command
    .option('--code <code>', 'records that failed with this error code (repeatable)', repeat)
    .option('--record <partition:offset>', 'the record at this position of the dead-letter topic (repeatable)', repeat);
}

export function dlqCommand(): Command {
  const dlq = new Command('dlq').description('dead letters: count, show and re-drive them');
  dlq
    .command('list')
    .description('records per error code in each dead-letter topic (all of them unless named)')
    .argument('[topics...]', TOPIC)
    .option('--json', 'one JSON object per topic and line')
    .action(lazy(async () => (await import('../actions/dlq.ts')).list));
  selectionOptions(
    dlq
      .command('show')
      .description('dead letters with their failure (stage, code, message, attempts, source) and decoded value')
      .argument('<topic>', TOPIC),
  )
    .option('--max <n>', 'stop after this many records')
    .option('--json', 'one JSON object per record and line')
    .action(lazy(async () => (await import('../actions/dlq.ts')).show));
  selectionOptions(
    dlq
      .command('redrive')
      .description('send selected dead letters back to their source topic (original key and bytes, a re-drive header)')
      .argument('<topic>', TOPIC)
      .option('--all', 'every record of the topic'),
  )
    .option('--dry-run', 'print what would be re-driven, send nothing')
    .option('--again', 'send records a re-drive sent before, too (skipped otherwise)')
    .action(lazy(async () => (await import('../actions/dlq.ts')).redrive));
  return dlq;
}
