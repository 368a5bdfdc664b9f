// What a probe learns about one open port. Names follow nmap's service names (nmap-services) so results compare.
import type { HttpInfo, TlsInfo } from '../../schemas/types.gen.ts';
import { exchange, type ExchangeResult } from '../io/exchange.ts';
import type { ScannerIo } from '../io/scanner-io.ts';

export interface Identified {
  readonly service: string;
  readonly product: string | null;
  readonly version: string | null;
  /** First bytes the service sent, capped, as data. */
  readonly banner: string | null;
  /** Probe facts, e.g. auth=none, tunnel=ssl. */
  readonly attributes: Readonly<Record<string, string>>;
  readonly tls?: TlsInfo;
  readonly http?: HttpInfo;
}

export interface ProbeTarget {
  readonly io: ScannerIo;
  /** Scope-checked address. */
  readonly address: string;
  readonly port: number;
  /** The name the address came from: Host header and SNI only, never resolved again. */
  readonly hostname: string | null;
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}

export type Probe = (target: ProbeTarget) => Promise<Identified | null>;

export function identified(service: string, fields: Partial<Omit<Identified, 'service'>> = {}): Identified {
  return { service, product: null, version: null, banner: null, attributes: {}, ...fields };
}

/** Reply-size cap for one probe: enough for any greeting, small enough that a hostile peer cannot hurt. */
export const PROBE_MAX_BYTES = 64 * 1024;

/** One request on its own connection, read until `complete`, the peer closes, the cap, or t.timeoutMs. */
export function ask(
  t: ProbeTarget,
  send: Buffer,
  o: { readonly maxBytes?: number; readonly complete?: (data: Buffer) => boolean } = {},
): Promise<ExchangeResult> {
  return exchange(t.io, {
    address: t.address,
    port: t.port,
    timeoutMs: t.timeoutMs,
    readTimeoutMs: t.timeoutMs,
    signal: t.signal,
    send,
    maxBytes: o.maxBytes ?? PROBE_MAX_BYTES,
    ...(o.complete ? { complete: o.complete } : {}),
  });
}
