// What the stages' dependencies are made from, for one configuration: the clock, DNS, host_scan's ping timing, and
// what several stages share — the scanners' contexts, the platform API client, PostgreSQL — each made at most once,
// on first use, and closed together. src/topology.ts binds each processor to the factory in this folder that makes
// its deps. The shared parts are imported when first asked for (the scanners, pg and the sink, with the parsers the
// deps factories import, are some 240 of the 1,330 modules a process loaded): a copy of asm_scheduler or asm_progress
// never loads them.
import type { Config } from '../config/config.ts';
import { AsmvsError } from '../errors.ts';
import type { PlatformClient } from '../platform/client.ts';
import { createDnsClient, type DnsClient } from '../scanners/dns/dns-client.ts';
import type { ScanContext } from '../scanners/scanner.ts';
import type { ScannerIo } from '../scanners/io/scanner-io.ts';
import type { HostResolver } from '../scanners/scope/resolve.ts';
import type { RequestTimings } from '../scanners/tcp/request-timings.ts';
import { hostPingTimings } from './ping-timings.ts';
import type { SinkDeps } from './sink-deps.ts';

export interface WiringOptions {
  /** Test doors: where sockets and processes come from, and DNS. */
  readonly io?: ScannerIo;
  readonly resolver?: HostResolver;
  readonly now?: () => number;
  /** Platform scans: first poll delay and the longest one. */
  readonly poll?: { readonly firstMs: number; readonly maxMs: number };
}

/** Makes a scanner context for one piece of work (operator policy, resolver, io, its signal). */
export type ContextOf = (signal: AbortSignal) => ScanContext;

export interface Wiring {
  readonly config: Config;
  readonly options: WiringOptions;
  readonly now: () => number;
  /** The maker of scanner contexts (the scanners are loaded on the first call). */
  contexts(): Promise<ContextOf>;
  readonly dns: DnsClient;
  /** host_scan's ping timing per request; on Kafka, other copies' answers reach it too (follow-ping-timings.ts). */
  readonly pingTimings: RequestTimings;
  /** The platform API client; undefined when API_BASE_URL is unset. */
  platform(): Promise<PlatformClient | undefined>;
  /** PostgreSQL for the sink stages; CONFIG_INVALID without DATABASE_URL. */
  database(): Promise<SinkDeps>;
  close(): Promise<void>;
}

export function createWiring(config: Config, options: WiringOptions = {}): Wiring {
  const now = options.now ?? Date.now;
  let contexts: Promise<ContextOf> | undefined;
  let platform: Promise<PlatformClient | undefined> | undefined;
  let database: Promise<SinkDeps> | undefined;
  // One resolver for the process: host_scan makes a context per address, and a DNS client per context (each a
  // node:dns Resolver, a c-ares channel of its own) was about 5% of a copy's CPU on a mostly silent range.
  const dns = createDnsClient({ server: config.scanners.dnsResolver });
  return {
    config,
    options,
    now,
    contexts() {
      contexts ??= import('../scanners/index.ts').then(
        ({ scannerContext }) =>
          (signal: AbortSignal) =>
            scannerContext(config, {
              signal,
              resolver: options.resolver ?? dns,
              ...(options.io ? { io: options.io } : {}),
            }),
      );
      return contexts;
    },
    dns,
    pingTimings: hostPingTimings(config),
    platform() {
      const api = config.api;
      platform ??= api
        ? import('../platform/client.ts').then(({ createPlatformClient }) =>
            createPlatformClient({
              baseUrl: api.baseUrl,
              timeoutMs: api.timeoutMs,
              ...(api.token ? { token: api.token } : {}),
            }),
          )
        : Promise.resolve(undefined);
      return platform;
    },
    database() {
      const db = config.database;
      if (!db)
        return Promise.reject(
          new AsmvsError('CONFIG_INVALID', 'invalid configuration:\n  DATABASE_URL: required by the sink stages'),
        );
      database ??= import('./sink-deps.ts').then(({ sinkDeps }) => sinkDeps(db.url, now, db.resolveWaitMs));
      return database;
    },
    async close() {
      await (await platform?.catch(() => undefined))?.close();
      await (await database?.catch(() => undefined))?.close();
    },
  };
}
