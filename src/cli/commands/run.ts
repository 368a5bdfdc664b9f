// asmvs run <stage…|all> [--concurrency n] [--group g]: run stages on Kafka until SIGTERM/SIGINT (drain, exit 0).
import { Command } from 'commander';
import { runStages } from '../../app/run-stages.ts';
import { loadConfig } from '../../config/load.ts';
import { installSignalHandlers } from '../../runtime/signals.ts';
import { STAGE_NAMES } from '../../topology.ts';
import { AsmvsError } from '../../errors.ts';

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
    .action(async (stages: string[], opts: { concurrency?: string; group?: string; instance?: string }) => {
      const config = loadConfig();
      let concurrency: number | undefined;
      if (opts.concurrency !== undefined) {
        concurrency = Number(opts.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1)
          throw new AsmvsError(
            'USAGE',
            `--concurrency must be a whole number of at least 1, got ${JSON.stringify(opts.concurrency)}`,
          );
      }
      const running = await runStages(config, stages, {
        ...(opts.group ? { groupId: opts.group } : {}),
        ...(opts.instance ? { instanceId: opts.instance } : {}),
        ...(concurrency !== undefined ? { concurrency } : {}),
      });
      installSignalHandlers(running, { log: running.log, deadlineMs: config.runtime.shutdownDeadlineMs });
      await running.done;
    });
}
