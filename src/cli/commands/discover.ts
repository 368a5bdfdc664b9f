// asmvs discover <target…> [--scope …] [--profile p] [--ports spec] [--follow] [--timeout s]
import { Command, Option } from 'commander';
import { PROFILES } from '../../app/names.ts';
import { addHostOptions } from '../host-options.ts';
import { lazy } from '../lazy.ts';
import { needs } from '../option-rules.ts';

export function discoverCommand(): Command {
  const command = new Command('discover')
    .description('produce a discovery request to Kafka (asm_discovery picks it up); --follow waits for the outcome')
    .argument('<targets...>', 'hostnames, domains, addresses or CIDRs (names are searched for subdomains too)')
    .option('--scope <list>', 'narrow the scope: comma-separated CIDRs/domains, !item to deny')
    .addOption(new Option('--profile <profile>', 'which ports to look at').choices(PROFILES).default('default'))
    .option('--ports <spec>', 'ports instead of the profile');
  addHostOptions(command)
    .option('--follow', 'print job status until the request completes; the exit code is its outcome')
    .option('--timeout <seconds>', 'with --follow: give up following after this long (default 600)')
    .option('-q, --quiet', 'with --follow: print the request id and the outcome only');
  needs(command, { timeout: 'follow', quiet: 'follow' });
  return command.action(lazy(async () => (await import('../actions/discover.ts')).discover));
}
