// Drives asm_exposure by hand, one key, on a controlled clock: the key's entry is kept between events as a runner
// keeps it (an attempt's changes are applied when handle() resolves; a fired timer leaves the entry first), so
// tests can observe an asset, advance time and fire its timers one by one. Only KeyedAttempt's public side is used,
// so the runner may store entries as it likes.
import pino from 'pino';
import { asmExposure, type ExposureDeps } from '../../src/processors/asm-exposure.ts';
import { KeyedAttempt, type KeyEntry } from '../../src/runtime/keyed/key-entry.ts';
import type { Context, KeyedContext, TimerFiring } from '../../src/processor.ts';
import type { Asset, AssetChange, ScanRequest, Service } from '../../src/schemas/types.gen.ts';
import { analyzeExposure } from '../../src/exposure/analyze-exposure.ts';
import { decideScan } from '../../src/engines/scan-policy.ts';
import { producerOf } from '../../src/version.ts';
import { serviceAt } from './service.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
export const T0 = Date.parse('2026-03-01T00:00:00Z');

export interface Emitted {
  readonly topic: string;
  readonly key: string;
  readonly value: unknown;
}

/** An asset's service (serviceAt without the host it was found on). */
export function service(port: number, fields: Partial<Service> = {}): Service {
  const { host: _host, hostname: _hostname, ...found } = serviceAt(port, fields);
  return found;
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
    reachability: null,
    resolvedFrom: null,
    ...fields,
  };
}

export const silent = pino({ level: 'silent' });

/** A pending timer as the harness keeps it: the value it will deliver, kept apart from the runner's encoding. */
interface HeldTimer {
  readonly value: Asset;
  readonly scheduledAt: number;
}

export class ExposureHarness {
  now: number;
  /** The key's entry, only ever handled through KeyedAttempt (its limits apply; its layout is the runner's). */
  entry: KeyEntry | undefined;
  readonly #held = new Map<string, HeldTimer>();
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
    const at = this.timerAt(id);
    const held = this.#held.get(id);
    if (at === undefined || !held) throw new Error(`no pending timer ${id}`);
    this.now = now ?? Math.max(this.now, at);
    // The runner takes the fired timer out of the entry before the handler runs.
    const taking = this.#attempt();
    taking.cancel(id);
    this.entry = taking.result();
    this.#held.delete(id);
    return this.#run(held.value, { id, at, scheduledAt: held.scheduledAt });
  }

  timers(): { id: string; at: number }[] {
    return this.#attempt()
      .timers()
      .map((t) => ({ id: t.id, at: t.at }));
  }

  timerAt(id: string): number | undefined {
    return this.timers().find((t) => t.id === id)?.at;
  }

  get state(): unknown {
    return this.#attempt().state;
  }

  #attempt(): KeyedAttempt {
    return new KeyedAttempt(
      this.entry,
      (v) => Buffer.from(JSON.stringify(v)),
      () => this.now,
    );
  }

  async #run(value: Asset, timer: TimerFiring | undefined): Promise<Emitted[]> {
    const emitted: Emitted[] = [];
    const attempt = this.#attempt();
    const staged = new Map<string, HeldTimer | undefined>(); // applied only if handle() resolves, like the entry
    const keyed: KeyedContext<'assets'> = {
      get state() {
        return attempt.state;
      },
      setState: (v) => attempt.setState(v),
      schedule: (id, at, v) => {
        attempt.schedule(id, at, v);
        staged.set(id, { value: structuredClone(v), scheduledAt: this.now });
      },
      cancel: (id) => {
        attempt.cancel(id);
        staged.set(id, undefined);
      },
      timers: () => attempt.timers(),
    };
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
    this.entry = attempt.result();
    for (const [id, held] of staged) {
      if (held) this.#held.set(id, held);
      else this.#held.delete(id);
    }
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
