// What the stages' dependencies are made from, for one configuration: the clock, the scanners' context, DNS, and
// the clients that several stages share (the platform API, PostgreSQL), each made at most once, on first use, and
// closed together. src/topology.ts binds each processor to the factory in this folder that makes its deps.
import type { Config } from '../config/config.ts';
import { AsmvsError } from '../errors.ts';
import { createPlatformClient, type PlatformClient } from '../platform/client.ts';
import { createDnsClient, type DnsClient } from '../scanners/dns/dns-client.ts';
import { scannerContext, type ScanContext } from '../scanners/index.ts';
import type { ScannerIo } from '../scanners/io/scanner-io.ts';
import type { HostResolver } from '../scanners/scope/resolve.ts';
import type { RequestTimings } from '../scanners/tcp/request-timings.ts';
import { hostPingTimings } from './host-scan-deps.ts';
import { sinkDeps, type SinkDeps } from './sink-deps.ts';

export interface WiringOptions {
  /** Test doors: where sockets and processes come from, and DNS. */
  readonly io?: ScannerIo;
  readonly resolver?: HostResolver;
  readonly now?: () => number;
  /** Platform scans: first poll delay and the longest one. */
  readonly poll?: { readonly firstMs: number; readonly maxMs: number };
}

export interface Wiring {
  readonly config: Config;
  readonly options: WiringOptions;
  readonly now: () => number;
  /** A scanner context for one piece of work (operator policy, resolver, io, its signal). */
  context(signal: AbortSignal): ScanContext;
  readonly dns: DnsClient;
  /** host_scan's ping timing per request; on Kafka, other copies' answers reach it too (follow-ping-timings.ts). */
  readonly pingTimings: RequestTimings;
  /** The platform API client; undefined when API_BASE_URL is unset. */
  platform(): PlatformClient | undefined;
  /** PostgreSQL for the sink stages; CONFIG_INVALID without DATABASE_URL. */
  database(): SinkDeps;
  close(): Promise<void>;
}

export function createWiring(config: Config, options: WiringOptions = {}): Wiring {
  const now = options.now ?? Date.now;
  let platform: PlatformClient | undefined;
  let database: SinkDeps | undefined;
  // One resolver for the process: host_scan makes a context per address, and a DNS client per context (each a
  // node:dns Resolver, a c-ares channel of its own) was about 5% of a copy's CPU on a mostly silent range.
  const dns = createDnsClient({ server: config.scanners.dnsResolver });
  return {
    config,
    options,
    now,
    context: (signal) =>
      scannerContext(config, {
        signal,
        resolver: options.resolver ?? dns,
        ...(options.io ? { io: options.io } : {}),
      }),
    dns,
    pingTimings: hostPingTimings(config),
    platform() {
      if (!config.api) return undefined;
      platform ??= createPlatformClient({
        baseUrl: config.api.baseUrl,
        timeoutMs: config.api.timeoutMs,
        ...(config.api.token ? { token: config.api.token } : {}),
      });
      return platform;
    },
    database() {
      if (!config.database)
        throw new AsmvsError('CONFIG_INVALID', 'invalid configuration:\n  DATABASE_URL: required by the sink stages');
      database ??= sinkDeps(config.database.url, now, config.database.resolveWaitMs);
      return database;
    },
    async close() {
      await platform?.close();
      await database?.close();
    },
  };
}
