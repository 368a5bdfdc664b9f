// The host-discovery and politeness options `scan` and `discover` share: --no-ping, --ping-ports, and the
// request's own lower limits (hosts and connections at once, new connections per second, per host_scan copy).
// app/host-options.ts reads them into the request.
import { type Command, Option } from 'commander';

export type { HostOptions } from '../app/host-options.ts';

export function addHostOptions(command: Command): Command {
  return command
    .option(
      '--no-ping',
      'skip host discovery: port-scan every address (a host that filters every ping port is missed otherwise)',
    )
    .option('--ping-ports <list>', 'ports host discovery probes (default HOST_PING_PORTS: 80,443,22,3389)')
    .addOption(new Option('--max-hosts <n>', 'hosts of this request scanned at once, per host_scan copy'))
    .addOption(new Option('--max-connections <n>', 'connections of this request open at once, per copy'))
    .addOption(new Option('--max-rate <n>', 'new connections of this request per second, per copy'));
}
