// One key's durable state as the runners hold it, and the staging of one attempt's changes to it (ctx.keyed).
// An attempt works on a copy: if handle() fails, nothing it scheduled, cancelled or set is kept.
import { AsmvsError } from '../../errors.ts';
import type { KeyedContext, PendingTimer } from '../../processor.ts';
import type { SchemaTopic } from '../../schemas/registry-files.ts';

export interface StoredTimer {
  readonly id: string;
  readonly at: number;
  readonly scheduledAt: number;
  /**
   * The value to deliver, encoded as the input topic's values are (wire bytes on Kafka), held as a latin1 string:
   * a hundred thousand small Buffers cost their own headers and pin pooled slabs; strings live compactly in the
   * V8 heap. timerBytes() gives the bytes back.
   */
  readonly packed: string;
}

export interface KeyEntry {
  /** The processor's state as JSON text. */
  readonly state: string | undefined;
  /** Few per key (at most KEYED_LIMITS.timersPerKey): an array is smaller than a Map. */
  readonly timers: readonly StoredTimer[];
}

export function timerBytes(timer: StoredTimer): Buffer {
  return Buffer.from(timer.packed, 'latin1');
}

export function packBytes(bytes: Buffer): string {
  return bytes.toString('latin1');
}

export function timerOf(entry: KeyEntry | undefined, id: string): StoredTimer | undefined {
  return entry?.timers.find((t) => t.id === id);
}

export const KEYED_LIMITS = { timersPerKey: 100, stateBytes: 64 * 1024, timerIdChars: 200 } as const;

function invalid(message: string): AsmvsError {
  return new AsmvsError('KEYED_STATE_INVALID', message);
}

/** The entry without one timer (a timer that fired), or undefined when nothing is left. */
export function withoutTimer(entry: KeyEntry | undefined, id: string): KeyEntry | undefined {
  if (!entry || timerOf(entry, id) === undefined) return entry;
  return emptyToUndefined({ state: entry.state, timers: entry.timers.filter((t) => t.id !== id) });
}

function emptyToUndefined(entry: KeyEntry): KeyEntry | undefined {
  return entry.state === undefined && entry.timers.length === 0 ? undefined : entry;
}

export class KeyedAttempt implements KeyedContext<SchemaTopic> {
  readonly #base: KeyEntry | undefined;
  readonly #encode: (value: unknown) => Buffer;
  readonly #now: () => number;
  #parsed = false;
  #state: unknown;
  #stateText: string | undefined;
  #stateChanged = false;
  #timers: StoredTimer[] | undefined; // copied on first change

  constructor(base: KeyEntry | undefined, encode: (value: unknown) => Buffer, now: () => number) {
    this.#base = base;
    this.#encode = encode;
    this.#now = now;
    this.#stateText = base?.state;
  }

  get state(): unknown {
    if (!this.#parsed) {
      this.#state = this.#stateText === undefined ? undefined : (JSON.parse(this.#stateText) as unknown);
      this.#parsed = true;
    }
    return this.#state;
  }

  setState(value: unknown): void {
    const text = value === undefined ? undefined : JSON.stringify(value);
    if (value !== undefined && text === undefined) throw invalid('the state must be a JSON value');
    if (text !== undefined && Buffer.byteLength(text) > KEYED_LIMITS.stateBytes)
      throw invalid(`the state is larger than ${KEYED_LIMITS.stateBytes} bytes as JSON`);
    this.#stateText = text;
    this.#state = text === undefined ? undefined : (JSON.parse(text) as unknown); // a copy: later mutation is not kept
    this.#parsed = true;
    this.#stateChanged = true;
  }

  schedule(id: string, at: number, value: unknown): void {
    if (typeof id !== 'string' || id.length === 0 || id.length > KEYED_LIMITS.timerIdChars)
      throw invalid(`a timer id must be 1–${KEYED_LIMITS.timerIdChars} characters`);
    if (!Number.isSafeInteger(at) || at < 0) throw invalid(`timer ${id}: "at" must be ms since the epoch, got ${at}`);
    const timers = this.#mutableTimers();
    const index = timers.findIndex((t) => t.id === id);
    if (index < 0 && timers.length >= KEYED_LIMITS.timersPerKey)
      throw invalid(`a key may have at most ${KEYED_LIMITS.timersPerKey} pending timers`);
    const timer = { id, at, scheduledAt: this.#now(), packed: packBytes(this.#encode(value)) };
    if (index < 0) timers.push(timer);
    else timers[index] = timer;
  }

  cancel(id: string): void {
    if (this.#currentTimers().some((t) => t.id === id)) this.#timers = this.#currentTimers().filter((t) => t.id !== id);
  }

  timers(): readonly PendingTimer[] {
    return this.#currentTimers()
      .map((t) => ({ id: t.id, at: t.at }))
      .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  }

  /** Whether the attempt changed the key's state or timers. */
  get changed(): boolean {
    return this.#stateChanged || this.#timers !== undefined;
  }

  /** The entry after this attempt (undefined: nothing left for the key). */
  result(): KeyEntry | undefined {
    if (!this.changed) return this.#base;
    return emptyToUndefined({ state: this.#stateText, timers: this.#currentTimers() });
  }

  #currentTimers(): readonly StoredTimer[] {
    return this.#timers ?? this.#base?.timers ?? [];
  }

  #mutableTimers(): StoredTimer[] {
    this.#timers ??= [...(this.#base?.timers ?? [])];
    return this.#timers;
  }
}

/**
 * What a stage without keyed state gets as ctx.keyed: every use is a programming error. A keyed stage gets it for an
 * event without a record key (`keyless`): timers and state live under the key, so such an event has none.
 */
export function notKeyed(stage: string, keyless = false): KeyedContext<SchemaTopic> {
  const why = keyless
    ? `stage ${stage} keeps timers and state per record key, and this event has no key (produce it with one)`
    : `stage ${stage} is not declared keyed, so it has no timers or per-key state`;
  const fail = (): never => {
    throw invalid(why);
  };
  return {
    get state() {
      return fail();
    },
    setState: fail,
    schedule: fail,
    cancel: fail,
    timers: fail,
  };
}
