// asmvs monitor add <target> --every <duration> … | list [--json] | remove <target>: monitored targets, stored as
// events in the compacted `monitors` topic (asm_scheduler turns each into a discovery request per round).
import { Command, Option } from 'commander';
import { PROFILES } from '../../app/names.ts';
import { lazy } from '../lazy.ts';

function addCommand(): Command {
  return new Command('add')
    .description('monitor a target: rediscover it (and scan what it finds) at a fixed interval')
    .argument('<target>', 'a hostname, domain, address or CIDR')
    .requiredOption('--every <duration>', 'how often, e.g. 24h, 7d, 1h30m (at least MONITOR_MIN_INTERVAL_MS)')
    .option('--scope <list>', 'narrow the scope: comma-separated CIDRs/domains, !item to deny')
    .addOption(new Option('--profile <profile>', 'which ports to look at').choices(PROFILES).default('default'))
    .option('--ports <spec>', 'ports instead of the profile')
    .option('--no-scan', 'discover only: do not scan what each round finds')
    .option(
      '--label <key=value>',
      'a label every round carries (repeatable)',
      (v: string, all: string[] | undefined) => [...(all ?? []), v],
    )
    .option('--json', 'print the stored monitor as JSON')
    .action(lazy(async () => (await import('../actions/monitor.ts')).add));
}

function listCommand(): Command {
  return new Command('list')
    .description('the monitored targets (the monitors topic read to its current end)')
    .option('--json', 'one JSON object per monitor and line')
    .action(lazy(async () => (await import('../actions/monitor.ts')).list));
}

function removeCommand(): Command {
  return new Command('remove')
    .description('stop monitoring a target')
    .argument('<target>', 'the target as added (any spelling of it)')
    .action(lazy(async () => (await import('../actions/monitor.ts')).remove));
}

export function monitorCommand(): Command {
  return new Command('monitor')
    .description('continuous monitoring: targets rediscovered at a fixed interval')
    .addCommand(addCommand())
    .addCommand(listCommand())
    .addCommand(removeCommand());
}
