// host_scan: host-scans → assets (+ discovery-progress). One address of a discovery request: host discovery, the
// port scan and service identification, then that host's asset, emitted as soon as it is done. Keyed by address,
// so a range spreads over the partitions and running more copies divides its time. Every item ends in exactly one
// HOST_DONE (up, down, or dead-lettered with its reason), which is how asm_progress knows the request is done; a
// crash redoes only the items whose offsets were not committed, with the same ids.
import { assetIdOf, derivedEventId } from '../ids.ts';
import type { Processor } from '../processor.ts';
import type { Asset, DiscoveryProgress, HostScan, Reachability, Service } from '../schemas/types.gen.ts';
import { producerOf } from '../version.ts';

export interface HostObservation {
  readonly up: boolean;
  /** How the host was found up (null when down). */
  readonly reachability: Reachability | null;
  readonly hostnames: readonly string[];
  readonly services: readonly Service[];
  /** The host's round trip its request's ping timing learns from (HOST_DONE's), or null (down, or not pinged). */
  readonly rttMs: number | null;
}

export interface HostScanDeps {
  /** Scope check, pings, port scan and identification of one address; throws TARGET_* (no traffic) when refused. */
  scan(item: HostScan, signal: AbortSignal): Promise<HostObservation>;
  readonly now: () => number;
}

export const STAGE = 'host_scan';

function hostDone(item: HostScan, now: number, fields: Partial<DiscoveryProgress>): DiscoveryProgress {
  return {
    eventId: derivedEventId(item.requestId, 'host-done', item.index),
    requestId: item.requestId,
    producedAt: now,
    producer: producerOf(STAGE),
    kind: 'HOST_DONE',
    chunk: 0,
    firstIndex: 0,
    items: 0,
    final: false,
    unresolved: 0,
    index: item.index,
    address: item.address,
    up: false,
    openPorts: 0,
    assets: 0,
    rttMs: null,
    errorCode: null,
    ...fields,
  };
}

export const hostScan: Processor<'host-scans', 'assets' | 'discovery-progress', HostScanDeps, typeof STAGE> = {
  name: STAGE,
  input: 'host-scans',
  // a range's hosts start in about address order across the partitions, so a copy's first wave holds live hosts
  // whose answers teach the ping timeout (docs/architecture.md, the order a copy starts its hosts in)
  partitionTurns: true,
  outputs: ['assets', 'discovery-progress'],
  async handle(item, ctx) {
    const seen = await ctx.deps.scan(item, ctx.signal);
    const now = ctx.deps.now();
    if (seen.up) {
      const assetId = assetIdOf('IP', item.address);
      const asset: Asset = {
        eventId: derivedEventId(item.requestId, assetId),
        requestId: item.requestId,
        producedAt: now,
        producer: producerOf(STAGE),
        assetId,
        kind: 'IP',
        value: item.address,
        hostnames: [...seen.hostnames],
        addresses: [item.address],
        dnsRecords: [],
        services: [...seen.services],
        observedAt: now,
        discoveredBy: STAGE,
        scope: item.scope,
        scanAfterDiscovery: item.scanAfterDiscovery,
        organizationId: item.organizationId,
        labels: item.labels,
        reachability: seen.reachability,
        resolvedFrom: item.hostname,
      };
      ctx.emit('assets', assetId, asset);
    }
    ctx.emit(
      'discovery-progress',
      item.requestId,
      hostDone(item, now, {
        up: seen.up,
        openPorts: seen.services.length,
        assets: seen.up ? 1 : 0,
        rttMs: seen.rttMs,
      }),
    );
  },
  // A host that cannot be scanned (refused by the scope now, or failing past its retries) still ends: its request
  // counts it as failed instead of waiting for it forever.
  onDeadLetter(item, error, ctx) {
    if (!item) return; // undecodable bytes: no request to report to
    ctx.emit('discovery-progress', item.requestId, hostDone(item, ctx.deps.now(), { errorCode: error.code }));
  },
};
