// One scope-checked host: port scan, then (optionally) identify each open port, then (optionally) run the checks.
// A port already identified (`known`, e.g. by discovery) is not identified again. Port mappers go first: the Erlang
// nodes epmd announces are named from its answer instead of sitting out a silent-port wait each.
import pLimit from 'p-limit';
import type { Service } from '../../schemas/types.gen.ts';
import type { Check, CheckRun } from '../checks/check.ts';
import { activeChecks } from '../checks/active-checks.ts';
import { passiveChecks } from '../checks/passive-checks.ts';
import { announcedNodes } from '../identify/epmd.ts';
import { identifyService } from '../identify/identify.ts';
import { probePlan } from '../identify/probe-plan.ts';
import type { ScannerIo } from '../io/scanner-io.ts';
import type { ServiceResult } from '../scanner.ts';
import type { ScopedHost } from '../scope/resolve.ts';
import type { PortScanResult } from '../tcp/connect-scan.ts';
import type { ConnectBudget } from '../tcp/connect-budget.ts';
import { scanTcpPortsParallel } from '../tcp/parallel-scan.ts';

export interface HostScanOptions {
  readonly io: ScannerIo;
  readonly signal: AbortSignal;
  readonly ports: readonly number[];
  readonly identify: boolean;
  readonly checks: boolean;
  /** Services already identified on this host: an open port found here is used as it is, not probed again. */
  readonly known?: readonly Service[];
  /** Sockets in flight during the port scan. */
  readonly portConcurrency?: number;
  /** Open ports identified at once. */
  readonly identifyConcurrency?: number;
  /** Connect and reply timeout of one probe, and the wall clock of one HTTP exchange. */
  readonly probeTimeoutMs?: number;
  /** How long a service that speaks first may take to greet. */
  readonly bannerWaitMs?: number;
  /** Reply wait of the rarer probes sent to a port that stayed silent. */
  readonly silentReplyMs?: number;
  /** Wall clock for identifying one port, every probe included. */
  readonly identifyBudgetMs?: number;
  readonly now?: () => number;
  /** The process's connection caps (host_scan), taken by the port scan's sockets. */
  readonly budget?: ConnectBudget;
  /** Called when the port scan is done, before identification. */
  readonly onPortScan?: (result: PortScanResult) => void;
}

export interface HostScan {
  readonly portScan: PortScanResult;
  readonly services: ServiceResult[];
  readonly checks: Check[];
  readonly runs: CheckRun[];
}

function bareService(host: ScopedHost, port: number): ServiceResult {
  return {
    host: host.address,
    hostname: host.hostname,
    port,
    protocol: 'TCP',
    state: 'open',
    service: null,
    product: null,
    version: null,
    banner: null,
    tls: null,
    http: null,
    attributes: {},
  };
}

export async function scanHost(host: ScopedHost, o: HostScanOptions): Promise<HostScan> {
  const portScan = await scanTcpPortsParallel({
    address: host.address,
    ports: o.ports,
    io: o.io,
    signal: o.signal,
    concurrency: o.portConcurrency,
    ...(o.budget ? { budget: o.budget } : {}),
  });
  o.onPortScan?.(portScan);
  const limit = pLimit(o.identifyConcurrency ?? 16);
  const probe = { io: o.io, signal: o.signal, timeoutMs: o.probeTimeoutMs ?? 3000 };
  const now = o.now ?? Date.now;
  const known = new Map((o.known ?? []).filter((s) => s.protocol === 'TCP').map((s) => [s.port, s]));
  const erlangNodes = new Map<number, string>();

  const identify = async (port: number): Promise<ServiceResult> => {
    const service = bareService(host, port);
    const seen = known.get(port);
    if (seen) return { ...seen, host: service.host, hostname: service.hostname, port, protocol: 'TCP', state: 'open' };
    if (!o.identify) return service;
    const id = await identifyService({
      ...probe,
      address: host.address,
      port,
      hostname: host.hostname,
      bannerWaitMs: o.bannerWaitMs ?? 2000,
      ...(o.silentReplyMs !== undefined ? { silentReplyMs: o.silentReplyMs } : {}),
      ...(o.identifyBudgetMs !== undefined ? { budgetMs: o.identifyBudgetMs } : {}),
      ...(erlangNodes.has(port) ? { erlangNode: erlangNodes.get(port) } : {}),
    });
    return {
      ...service,
      service: id.service === 'unknown' ? null : id.service,
      product: id.product,
      version: id.version,
      banner: id.banner,
      tls: id.tls ?? null,
      http: id.http ?? null,
      attributes: { ...id.attributes },
    };
  };
  const check = async (service: ServiceResult) => {
    if (!o.checks || !(o.identify || known.has(service.port))) return { checks: [] as Check[], runs: [] as CheckRun[] };
    const passive = passiveChecks(service, now());
    const active = await activeChecks(service, probe);
    return { checks: [...passive.checks, ...active.checks], runs: [...passive.runs, ...active.runs] };
  };

  const scanPort = async (port: number) => {
    const service = await identify(port);
    return { service, ...(await check(service)) };
  };
  const mappers = portScan.open.filter((port) => probePlan(port).likely.includes('epmd'));
  const first = await Promise.all(mappers.map((port) => limit(() => scanPort(port))));
  for (const { service } of first)
    if (service.service === 'epmd')
      for (const [port, node] of announcedNodes(service.attributes)) erlangNodes.set(port, node);
  const rest = portScan.open.filter((port) => !mappers.includes(port));
  const results = [...first, ...(await Promise.all(rest.map((port) => limit(() => scanPort(port)))))].sort(
    (a, b) => a.service.port - b.service.port,
  );
  return {
    portScan,
    services: results.map((r) => r.service),
    checks: results.flatMap((r) => r.checks),
    runs: results.flatMap((r) => r.runs),
  };
}
