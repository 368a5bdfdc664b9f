// asmvs discover <target…> [--scope …] [--profile p] [--ports spec] [--follow] [--timeout s]
import { Command, Option } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { submitRequest } from '../../app/submit-request.ts';
import { checkRequest } from '../../app/check-request.ts';
import { topicEnd } from '../../runtime/kafka/read-topic.ts';
import { discoveryRequest, parseScopeOption } from '../../app/requests.ts';
import { PROFILES } from '../../engines/profiles.ts';
import { followAndReport } from '../follow-output.ts';
import { addHostOptions, hostOptionsOf, type HostOptions } from '../host-options.ts';

export function discoverCommand(): Command {
  return addHostOptions(
    new Command('discover')
      .description('produce a discovery request to Kafka (asm_discovery picks it up); --follow waits for the outcome')
      .argument('<targets...>', 'hostnames, domains, addresses or CIDRs (names are searched for subdomains too)')
      .option('--scope <list>', 'narrow the scope: comma-separated CIDRs/domains, !item to deny')
      .addOption(new Option('--profile <profile>', 'which ports to look at').choices(PROFILES).default('default'))
      .option('--ports <spec>', 'ports instead of the profile'),
  )
    .option('--follow', 'print job status until the request completes; the exit code is its outcome')
    .option('--timeout <seconds>', 'give up following after this long', '600')
    .action(
      async (
        targets: string[],
        opts: HostOptions & { scope?: string; profile: string; ports?: string; follow?: boolean; timeout: string },
      ) => {
        const config = loadConfig();
        const hosts = hostOptionsOf(opts);
        const request = discoveryRequest(targets, {
          scope: parseScopeOption(opts.scope),
          profile: opts.profile,
          ports: opts.ports ?? null,
          ping: hosts.ping && !hosts.pingPorts ? null : { enabled: hosts.ping, ports: hosts.pingPorts ?? [] },
          limits: hosts.limits,
        });
        checkRequest(config.scope, request);
        const from = opts.follow ? await topicEnd(config, 'job-status') : undefined;
        const { traceId } = await submitRequest(config, 'discovery-requests', request.requestId, request);
        process.stdout.write(`request ${request.requestId}\n${traceId ? `trace ${traceId}\n` : ''}`);
        if (from) await followAndReport(config, request.requestId, from, opts.timeout);
      },
    );
}
