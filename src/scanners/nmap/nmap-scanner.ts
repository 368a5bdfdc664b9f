// nmap (Debian's): connect scan with -sV and allow-listed NSE scripts, XML streamed from stdout under a byte cap
// and parsed as it arrives, so an unsafe or malformed report stops the process early.
import { AsmvsError } from '../../errors.ts';
import { collectOutput } from '../io/collect-output.ts';
import type { ScanContext, ScanInput, ScannerRun, Scanner } from '../scanner.ts';
import { narrowPolicy } from '../scope/policy.ts';
import { parsePorts } from '../scope/ports.ts';
import { scopeTarget } from '../scope/resolve.ts';
import { buildNmapArgs, type NmapScript } from './nmap-args.ts';
import { servicesOf } from './nmap-services-of.ts';
import { createNmapXmlParser } from '../../normalizers/formats/nmap/read-nmap-xml.ts';

export const NMAP_DEFAULT_SCRIPTS: readonly NmapScript[] = ['banner', 'ssl-cert', 'http-title', 'http-server-header'];

export interface NmapScannerOptions {
  readonly serviceVersion: boolean;
  readonly scripts: readonly NmapScript[];
  readonly defaultPorts: string;
}

export function nmapScanner(
  o: NmapScannerOptions = { serviceVersion: true, scripts: NMAP_DEFAULT_SCRIPTS, defaultPorts: 'top-1000' },
): Scanner {
  const maxOutputBytes = 32 * 1024 * 1024;
  const defaultTimeoutMs = 30 * 60_000;
  return {
    name: 'nmap',
    format: 'nmap-xml',
    targetKind: 'network',
    concurrency: 2,
    defaultTimeoutMs,
    maxOutputBytes,
    async run(input: ScanInput, ctx: ScanContext): Promise<ScannerRun> {
      const startedAt = Date.now();
      const scoped = await scopeTarget(narrowPolicy(ctx.policy, input.scope), input.target, ctx.resolver, ctx.signal);
      const ports =
        scoped.port !== undefined && input.ports === undefined
          ? [scoped.port]
          : parsePorts(input.ports ?? o.defaultPorts);
      const args = buildNmapArgs({
        addresses: scoped.hosts.map((h) => h.address),
        ports,
        serviceVersion: o.serviceVersion,
        scripts: o.scripts,
        hostTimeoutMs: ctx.timeoutMs ?? defaultTimeoutMs,
      });
      if (ctx.signal.aborted) throw new AsmvsError('ABORTED', 'nmap was aborted before it started');
      const parser = createNmapXmlParser(maxOutputBytes);
      const child = ctx.io.spawn(ctx.nmapPath ?? 'nmap', args, { signal: ctx.signal });
      const out = await collectOutput(child, maxOutputBytes, (chunk) => parser.write(chunk));
      if (ctx.signal.aborted) throw new AsmvsError('ABORTED', 'nmap was aborted');
      if (out.exitCode !== 0 && !out.truncated)
        throw new AsmvsError('SCANNER_FAILED', `nmap exited with ${out.exitCode}: ${out.stderr.slice(0, 500)}`, {
          details: { exitCode: out.exitCode },
        });
      const report = out.truncated ? null : parser.close();
      return {
        scanner: { name: 'nmap', version: report?.version ?? null },
        format: 'nmap-xml',
        payload: out.stdout,
        truncated: out.truncated,
        complete: report?.finished ?? false,
        services: report ? servicesOf(report) : [],
        checks: [],
        startedAt,
        finishedAt: Date.now(),
      };
    },
  };
}
