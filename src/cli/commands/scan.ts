// asmvs scan <target> [-f table|json|sarif|ocsf|dojo|html] [-o file] [--severity …] [--fail-on …] [--profile p] …
// Without --submit: every stage in this process (no Kafka, registry or database), findings printed at the end.
// With --submit: the same request, produced to Kafka (one host item per address, so a range spreads over copies).
import { Command, Option } from 'commander';
import { PROFILES } from '../../app/names.ts';
import { addHostOptions } from '../host-options.ts';
import { lazy } from '../lazy.ts';
import { needs } from '../option-rules.ts';
import { addOutputOptions } from '../output-options.ts';
import { addVerbosityOptions } from '../verbosity.ts';

const ONE_SHOT_ONLY = ['format', 'json', 'sarif', 'output', 'severity', 'failOn'];

export function scanCommand(): Command {
  const command = new Command('scan')
    .description('scan a target with every stage in this process and print the findings (no infrastructure needed)')
    .argument('<target>', 'an IP address, hostname, CIDR or URL')
    .addOption(new Option('--profile <profile>', 'which ports to look at').choices(PROFILES).default('default'))
    .option('--ports <spec>', 'ports instead of the profile, e.g. 22,80,8000-8100')
    .option('--scope <list>', 'narrow the scope: comma-separated CIDRs/domains, !item to deny');
  addOutputOptions(command, ['json', 'sarif']);
  addHostOptions(command);
  command
    .addOption(
      new Option('--submit', 'produce the request to Kafka instead (asm_discovery picks it up)').conflicts(
        ONE_SHOT_ONLY,
      ),
    )
    .option('--follow', 'with --submit: print job status until the scan completes; the exit code is its outcome')
    .addOption(
      new Option('--engine <engine>', 'with --submit: platform sends one target to the platform engine').choices([
        'builtin',
        'platform',
      ]),
    )
    .option('--timeout <seconds>', 'with --follow: give up after this long (default 600)');
  addVerbosityOptions(command);
  needs(command, { follow: 'submit', engine: 'submit', timeout: 'follow' });
  return command.action(lazy(async () => (await import('../actions/scan.ts')).scan));
}
