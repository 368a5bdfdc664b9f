// asmvs run <stage…|all> [--concurrency n] [--group g] [--instance id]: run stages on Kafka until SIGTERM/SIGINT
// (drain, exit 0).
import { Command } from 'commander';
import { STAGE_NAMES } from '../../app/names.ts';
import { lazy } from '../lazy.ts';

export function runCommand(): Command {
  return new Command('run')
    .description('run stages on Kafka; more copies with the same group share the partitions')
    .argument('<stages...>', `stage names or all: ${STAGE_NAMES.join(', ')}`)
    .option('--concurrency <n>', 'events handled at once per stage (overrides STAGE_CONCURRENCY, HOST_SCAN_HOSTS)')
    .option('--group <id>', 'consumer group id (default asmvs.<stage>)')
    .option(
      '--instance <id>',
      "this copy's id, unique per running copy and stable across its restarts (default: the hostname)",
    )
    .action(lazy(async () => (await import('../actions/run.ts')).run));
}
