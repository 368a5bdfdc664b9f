// `asmvs scan`: one-shot (every stage in this process, findings printed) or --submit (the request to Kafka).
import { createApp } from '../../app/app.ts';
import { appConfig } from '../../app/app-config.ts';
import { hostOptionsOf, type HostOptions } from '../../app/host-options.ts';
import { parseScopeOption, platformScanRequest, scanTargetRequest } from '../../app/requests.ts';
import { VERSION } from '../../app/version.ts';
import { followAndReport } from '../follow-output.ts';
import { interruptible } from '../interrupt.ts';
import { openSink } from '../output-sink.ts';
import { outputFormatOf, type OutputOptions } from '../output-options.ts';
import { printFindings } from '../print-findings.ts';
import { escapeForTerminal } from '../escape.ts';
import { statusLine } from '../status-line.ts';
import { logLevelOf, type VerbosityOptions } from '../verbosity.ts';

interface ScanOptions extends HostOptions, OutputOptions, VerbosityOptions {
  profile: string;
  ports?: string;
  scope?: string;
  submit?: boolean;
  follow?: boolean;
  engine?: 'builtin' | 'platform';
  timeout?: string;
}

export async function scan(target: string, opts: ScanOptions): Promise<void> {
  if (opts.submit) return submitScan(target, opts);
  const app = createApp(appConfig());
  const hosts = hostOptionsOf(opts);
  const scope = parseScopeOption(opts.scope);
  const sink = await openSink(opts.output);
  const interrupt = interruptible();
  const status = opts.quiet ? undefined : statusLine(process.stderr);
  const startedAt = Date.now();
  try {
    const result = await app.scan(target, {
      profile: opts.profile,
      ...(opts.ports ? { ports: opts.ports } : {}),
      ...hosts,
      scope,
      signal: interrupt.signal,
      logLevel: logLevelOf(opts, app.config.log.level),
      onStatus: (s) => status?.show(s),
    });
    status?.clear();
    await printFindings(
      sink,
      result.findings,
      opts,
      {
        version: VERSION,
        arguments: process.argv.slice(2),
        subject: target,
        startedAt,
        finishedAt: Date.now(),
        complete: result.complete,
      },
      (n) =>
        `${n} findings for ${escapeForTerminal(target)} in ${(result.elapsedMs / 1000).toFixed(1)} s` +
        (result.complete ? '' : ' (interrupted: the findings so far)'),
    );
    if (!result.complete && outputFormatOf(opts) !== 'table' && !opts.quiet)
      process.stderr.write('asmvs: interrupted: the findings so far were printed\n');
  } finally {
    status?.clear();
    interrupt.dispose();
    await sink.end();
  }
}

async function submitScan(target: string, opts: ScanOptions): Promise<void> {
  const app = createApp(appConfig(['kafka', 'registry']));
  try {
    const scope = parseScopeOption(opts.scope);
    // the doors' one check, before the request is built (a platform request refuses a network, which the scope
    // check would refuse first when it is out of scope)
    await app.check({ targets: [target], scope, profile: opts.profile, ports: opts.ports ?? null });
    const ports = opts.ports ? { ports: opts.ports } : {};
    const request =
      opts.engine === 'platform'
        ? platformScanRequest(target, { scope, profile: opts.profile, ...ports })
        : scanTargetRequest(target, { scope, profile: opts.profile, ...ports, ...hostOptionsOf(opts) });
    const submitted = await app.submit(request, { follow: opts.follow === true });
    process.stdout.write(`request ${submitted.requestId}\n${submitted.traceId ? `trace ${submitted.traceId}\n` : ''}`);
    if (opts.follow) await followAndReport(submitted, opts);
  } finally {
    await app.close();
  }
}
