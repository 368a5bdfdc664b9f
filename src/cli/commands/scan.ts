// asmvs scan <target> [--json|--sarif] [--profile p] [--ports spec] [--no-ping] …
// Without --submit: every stage in this process (no Kafka, registry or database), findings printed at the end.
// With --submit: the same request, produced to Kafka (one host item per address, so a range spreads over copies).
import { Command, Option } from 'commander';
import { oneShotScan } from '../../app/one-shot-scan.ts';
import { loadConfig } from '../../config/load.ts';
import { AsmvsError } from '../../errors.ts';
import { toSarif } from '../../normalizers/index.ts';
import { createLogger, secretValues } from '../../observability/logger.ts';
import { PROFILES } from '../../engines/profiles.ts';
import { renderFindings } from '../findings-table.ts';
import { escapeForTerminal } from '../escape.ts';
import pino from 'pino';
import type { Config } from '../../config/config.ts';
import { parseScopeOption, scanRequest, scanTargetRequest } from '../../app/requests.ts';
import { submitRequest } from '../../app/submit-request.ts';
import { checkRequest } from '../../app/check-request.ts';
import { topicEnd } from '../../runtime/kafka/read-topic.ts';
import { parsePorts } from '../../scanners/scope/ports.ts';
import { parseTarget } from '../../scanners/scope/target.ts';
import { followAndReport } from '../follow-output.ts';
import { addHostOptions, hostOptionsOf, type HostOptions } from '../host-options.ts';
import { statusLine } from '../status-line.ts';

interface ScanOptions extends HostOptions {
  json?: boolean;
  sarif?: boolean;
  profile: string;
  ports?: string;
  verbose?: boolean;
  submit?: boolean;
  follow?: boolean;
  engine?: 'builtin' | 'platform';
  scope?: string;
  timeout: string;
}

async function submitScan(config: Config, target: string, opts: ScanOptions): Promise<void> {
  checkRequest(config.scope, {
    targets: [target],
    scope: parseScopeOption(opts.scope),
    profile: opts.profile,
    ports: opts.ports ?? null,
  });
  const from = opts.follow ? await topicEnd(config, 'job-status') : undefined;
  if (opts.engine === 'platform') {
    // The platform scans what it is given: one target, straight to vs_scan_trigger.
    if (parseTarget(target).kind === 'network')
      throw new AsmvsError('USAGE', '--engine platform scans one address, name or URL, not a network');
    const ports = opts.ports ? parsePorts(opts.ports) : [];
    const request = scanRequest(target, {
      scope: parseScopeOption(opts.scope),
      profile: opts.profile,
      ports,
      engine: 'PLATFORM',
    });
    const { traceId } = await submitRequest(config, 'scan-requests', target, request);
    process.stdout.write(`request ${request.requestId}\n${traceId ? `trace ${traceId}\n` : ''}`);
    if (from) await followAndReport(config, request.requestId, from, opts.timeout, 'scan');
    return;
  }
  const request = scanTargetRequest(target, {
    scope: parseScopeOption(opts.scope),
    profile: opts.profile,
    ...(opts.ports ? { ports: opts.ports } : {}),
    ...hostOptionsOf(opts),
  });
  const { traceId } = await submitRequest(config, 'discovery-requests', request.requestId, request);
  process.stdout.write(`request ${request.requestId}\n${traceId ? `trace ${traceId}\n` : ''}`);
  if (from) await followAndReport(config, request.requestId, from, opts.timeout);
}

export function scanCommand(): Command {
  return addHostOptions(
    new Command('scan')
      .description('scan a target with every stage in this process and print the findings (no infrastructure needed)')
      .argument('<target>', 'an IP address, hostname, CIDR or URL')
      .addOption(new Option('--profile <profile>', 'which ports to look at').choices(PROFILES).default('default'))
      .option('--ports <spec>', 'ports instead of the profile, e.g. 22,80,8000-8100')
      .option('--json', 'print the findings as a JSON array (the finding schema)')
      .option('--sarif', 'print the findings as SARIF 2.1.0'),
  )
    .option('--submit', 'produce the request to Kafka instead (asm_discovery picks it up)')
    .option('--follow', 'with --submit: print job status until the scan completes; the exit code is its outcome')
    .addOption(
      new Option('--engine <engine>', 'with --submit: platform sends one target to the platform engine').choices([
        'builtin',
        'platform',
      ]),
    )
    .option('--scope <list>', 'with --submit: narrow the scope: comma-separated CIDRs/domains, !item to deny')
    .option('--timeout <seconds>', 'with --follow: give up after this long', '600')
    .option('--verbose', 'log at LOG_LEVEL (default info) on stderr instead of warnings only')
    .action(async (target: string, opts: ScanOptions) => {
      const config = loadConfig();
      if (opts.submit) return submitScan(config, target, opts);
      const hosts = hostOptionsOf(opts);
      // Logs go to stderr so that stdout carries only the findings; warnings only, unless --verbose (LOG_LEVEL).
      const level = opts.verbose ? config.log.level : 'warn';
      const logger = createLogger({ level, secrets: secretValues(config), destination: pino.destination(2) });
      const controller = new AbortController();
      const interrupt = () => controller.abort();
      process.once('SIGINT', interrupt);
      process.once('SIGTERM', interrupt);
      const status = statusLine(process.stderr);
      try {
        const result = await oneShotScan(config, target, {
          profile: opts.profile,
          ...(opts.ports ? { ports: opts.ports } : {}),
          ...hosts,
          logger,
          signal: controller.signal,
          onStatus: (s) => status.show(s),
        });
        status.clear();
        if (opts.json) process.stdout.write(`${JSON.stringify(result.findings, null, 2)}\n`);
        else if (opts.sarif) process.stdout.write(`${JSON.stringify(toSarif(result.findings), null, 2)}\n`);
        else {
          process.stdout.write(renderFindings(result.findings));
          process.stdout.write(
            `\n${result.findings.length} findings for ${escapeForTerminal(target)} in ${(result.elapsedMs / 1000).toFixed(1)} s\n`,
          );
        }
      } finally {
        status.clear();
        process.off('SIGINT', interrupt);
        process.off('SIGTERM', interrupt);
      }
    });
}
