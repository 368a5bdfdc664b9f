// The composition root of the stages: each processor with the dependencies its config calls for. Runners (Kafka or
// local) take this list; nothing else wires scanners, engines or the platform client into processors.
import type { Config } from '../config/config.ts';
import { admission } from '../engines/admission.ts';
import { builtinDiscovery } from '../engines/builtin-discovery.ts';
import { builtinScan } from '../engines/builtin-scan.ts';
import { platformScanStarter, platformScanWaiter } from '../engines/platform-scan.ts';
import { DEFAULT_SCANNERS, decideScan } from '../engines/scan-policy.ts';
import { analyzeExposure } from '../exposure/analyze-exposure.ts';
import { normalizeRaw } from '../normalizers/index.ts';
import { createPlatformClient, type PlatformClient } from '../platform/client.ts';
import type { AnyProcessor } from '../processor.ts';
import { asmDiscovery, type DiscoveryDeps } from '../processors/asm-discovery.ts';
import { asmExposure, type ExposureDeps } from '../processors/asm-exposure.ts';
import { asmScheduler, type SchedulerDeps } from '../processors/asm-scheduler.ts';
import { vsNormalization, type NormalizationDeps } from '../processors/vs-normalization.ts';
import { findingsSink } from '../processors/findings-sink.ts';
import { findingsResolver } from '../processors/findings-resolver.ts';
import { sinkDeps } from './sink-deps.ts';
import { vsResultFetcher, type ResultFetcherDeps } from '../processors/vs-result-fetcher.ts';
import { vsScanTrigger, type ScanTriggerDeps } from '../processors/vs-scan-trigger.ts';
import { createDnsClient } from '../scanners/dns/dns-client.ts';
import { scannerContext, type ScanContext } from '../scanners/index.ts';
import type { ScannerIo } from '../scanners/io/scanner-io.ts';
import type { HostResolver } from '../scanners/scope/resolve.ts';

export interface StageWiring {
  readonly processor: AnyProcessor;
  readonly deps: unknown;
}

export interface WiringOptions {
  /** Test doors: where sockets and processes come from, and DNS. */
  readonly io?: ScannerIo;
  readonly resolver?: HostResolver;
  readonly now?: () => number;
  /** Platform scans: first poll delay and the longest one. */
  readonly poll?: { readonly firstMs: number; readonly maxMs: number };
}

export function wireStages(
  config: Config,
  options: WiringOptions = {},
): { stages: StageWiring[]; platform?: PlatformClient; close(): Promise<void> } {
  const now = options.now ?? Date.now;
  const context = (signal: AbortSignal): ScanContext =>
    scannerContext(config, {
      signal,
      ...(options.io ? { io: options.io } : {}),
      ...(options.resolver ? { resolver: options.resolver } : {}),
    });
  const platform: PlatformClient | undefined = config.api
    ? createPlatformClient({
        baseUrl: config.api.baseUrl,
        timeoutMs: config.api.timeoutMs,
        ...(config.api.token ? { token: config.api.token } : {}),
      })
    : undefined;

  const scheduler: SchedulerDeps = { now, minIntervalMs: config.monitoring.minIntervalMs };
  const discovery: DiscoveryDeps = {
    discover: builtinDiscovery({ context, dns: createDnsClient({ server: config.scanners.dnsResolver }) }),
    now,
  };
  const exposure: ExposureDeps = {
    analyze: (asset) => analyzeExposure({ addresses: asset.addresses, services: asset.services, now: now() }),
    decide: decideScan,
    monitoring: config.monitoring,
    ...(platform
      ? {
          recordExposure: (asset, e, signal) =>
            platform.patchAsset(asset.assetId, { exposure: e }, `exposure-${asset.eventId}`, signal),
        }
      : {}),
    now,
  };
  const trigger: ScanTriggerDeps = {
    defaultEngine: config.scanners.engine === 'platform' ? 'PLATFORM' : 'BUILTIN',
    defaultScanners: DEFAULT_SCANNERS,
    deadlineMs: config.scanners.deadlineMs,
    admit: admission(context),
    ...(platform ? { startPlatformScan: platformScanStarter(platform) } : {}),
    now,
  };
  const fetcher: ResultFetcherDeps = {
    runBuiltin: builtinScan(context),
    ...(platform
      ? {
          awaitPlatform: platformScanWaiter(platform, {
            firstMs: options.poll?.firstMs ?? 1_000,
            maxMs: options.poll?.maxMs ?? 30_000,
            now,
          }),
        }
      : {}),
  };
  const normalization: NormalizationDeps = {
    normalize: (raw, provenance) => normalizeRaw(raw, provenance),
    now,
  };
  const persistence = config.database ? sinkDeps(config.database.url, now, config.database.resolveWaitMs) : undefined;
  const wire = <D>(processor: { name: string }, deps: D): StageWiring => ({
    processor: processor as unknown as AnyProcessor,
    deps,
  });
  return {
    ...(platform ? { platform } : {}),
    stages: [
      wire(asmScheduler, scheduler),
      wire(asmDiscovery, discovery),
      wire(asmExposure, exposure),
      wire(vsScanTrigger, trigger),
      wire(vsResultFetcher, fetcher),
      wire(vsNormalization, normalization),
      ...(persistence ? [wire(findingsSink, persistence.sink), wire(findingsResolver, persistence.resolver)] : []),
    ],
    close: async () => {
      await platform?.close();
      await persistence?.close();
    },
  };
}
