// Drives asm_exposure by hand, one key, on a controlled clock: the key's entry is kept between events as a runner
// keeps it (an attempt's changes are applied when handle() resolves; a fired timer leaves the entry first), so
// tests can observe an asset, advance time and fire its timers one by one.
import pino from 'pino';
import { asmExposure, type ExposureDeps } from '../../src/processors/asm-exposure.ts';
import { KeyedAttempt, withoutTimer, type KeyEntry } from '../../src/runtime/keyed/key-entry.ts';
import type { Context, TimerFiring } from '../../src/processor.ts';
import type { Asset, AssetChange, ScanRequest, Service } from '../../src/schemas/types.gen.ts';
import { analyzeExposure } from '../../src/exposure/analyze-exposure.ts';
import { decideScan } from '../../src/engines/scan-policy.ts';
import { producerOf } from '../../src/processors/job-status.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const T0 = Date.parse('2026-03-01T00:00:00Z');

export interface Emitted {
  readonly topic: string;
  readonly key: string;
  readonly value: unknown;
}

export function service(port: number, fields: Partial<Service> = {}): Service {
  return {
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
    ...fields,
  };
}

export function tls(fingerprint: string, notAfter: number): Service['tls'] {
  return {
    subject: 'CN=localhost',
    issuer: 'CN=localhost',
    subjectAltNames: [],
    notBefore: null,
    notAfter,
    selfSigned: true,
    protocols: ['TLSv1.3'],
    fingerprintSha256: fingerprint,
  };
}

export function asset(observedAt: number, services: Service[], fields: Partial<Asset> = {}): Asset {
  return {
    eventId: `asset-${observedAt}`,
    requestId: `req-${observedAt}`,
    producedAt: observedAt,
    producer: producerOf('asm_discovery'),
    assetId: 'asset-1',
    kind: 'IP',
    value: '127.0.0.1',
    hostnames: [],
    addresses: ['127.0.0.1'],
    dnsRecords: [],
    services,
    observedAt,
    discoveredBy: 'asm_discovery',
    scope: null,
    scanAfterDiscovery: true,
    organizationId: null,
    labels: {},
    ...fields,
  };
}

export const silent = pino({ level: 'silent' });

export class ExposureHarness {
  now: number;
  entry: KeyEntry | undefined;
  readonly deps: ExposureDeps;

  constructor(o: { now?: number; monitoring?: Partial<ExposureDeps['monitoring']>; deps?: Partial<ExposureDeps> }) {
    this.now = o.now ?? T0;
    this.deps = {
      analyze: (a) => analyzeExposure({ addresses: a.addresses, services: a.services, now: this.now }),
      decide: decideScan,
      now: () => this.now,
      monitoring: {
        minIntervalMs: HOUR,
        rescanPolicy: [],
        certWarningMs: 30 * DAY,
        goneAfterRounds: 2,
        ...o.monitoring,
      },
      ...o.deps,
    };
  }

  /** One asset event (not a timer); returns what it emitted. */
  observe(a: Asset): Promise<Emitted[]> {
    this.now = Math.max(this.now, a.observedAt);
    return this.#run(a, undefined);
  }

  /** Fires a pending timer as the runner would (at its due time unless `now` is later); throws if there is none. */
  fire(id: string, now?: number): Promise<Emitted[]> {
    const timer = this.entry?.timers.get(id);
    if (!timer) throw new Error(`no pending timer ${id}`);
    this.now = now ?? Math.max(this.now, timer.at);
    this.entry = withoutTimer(this.entry, id);
    const value = JSON.parse(timer.value.toString()) as Asset;
    return this.#run(value, { id, at: timer.at, scheduledAt: timer.scheduledAt });
  }

  timers(): { id: string; at: number }[] {
    return [...(this.entry?.timers.values() ?? [])].map((t) => ({ id: t.id, at: t.at })).sort((a, b) => a.at - b.at);
  }

  timerAt(id: string): number | undefined {
    return this.entry?.timers.get(id)?.at;
  }

  get state(): unknown {
    return this.entry?.state === undefined ? undefined : JSON.parse(this.entry.state);
  }

  async #run(value: Asset, timer: TimerFiring | undefined): Promise<Emitted[]> {
    const emitted: Emitted[] = [];
    const keyed = new KeyedAttempt(
      this.entry,
      (v) => Buffer.from(JSON.stringify(v)),
      () => this.now,
    );
    const ctx = {
      emit: (topic: string, key: string, v: unknown) => emitted.push({ topic, key, value: v }),
      signal: new AbortController().signal,
      log: silent,
      deps: this.deps,
      meta: {
        topic: 'assets',
        partition: 0,
        offset: '0',
        key: value.assetId,
        headers: {},
        attempt: 1,
        timestamp: this.now,
        ...(timer ? { timer } : {}),
      },
      keyed,
    } as unknown as Context<'scan-requests' | 'job-status' | 'asset-changes', ExposureDeps, 'assets'>;
    await asmExposure.handle(value, ctx);
    this.entry = keyed.result();
    return emitted;
  }
}

export function changesOf(emitted: readonly Emitted[]): AssetChange[] {
  return emitted.filter((e) => e.topic === 'asset-changes').map((e) => e.value as AssetChange);
}

export function scanRequestsOf(emitted: readonly Emitted[]): ScanRequest[] {
  return emitted.filter((e) => e.topic === 'scan-requests').map((e) => e.value as ScanRequest);
}

/** kind subject: before → after, one line per change: easy to compare in assertions. */
export function lines(changes: readonly AssetChange[]): string[] {
  return changes.map((c) => `${c.kind} ${c.subject}: ${c.before ?? '∅'} → ${c.after ?? '∅'}`);
}
