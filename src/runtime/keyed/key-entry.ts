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
  /**
   * Few per key (at most KEYED_LIMITS.timersPerKey): an array is smaller than a Map. Most keys have one timer, held
   * without an array (an array of one costs ~55 bytes a key); timersOf() gives the list either way.
   */
  readonly timers: StoredTimer | readonly StoredTimer[] | undefined;
}

const NONE: readonly StoredTimer[] = Object.freeze([]);

/** A key's timers as a list (of one, for a lone timer: a short-lived array). */
export function timersOf(entry: KeyEntry | undefined): readonly StoredTimer[] {
  const timers = entry?.timers;
  if (timers === undefined) return NONE;
  return isList(timers) ? timers : [timers];
}

export function timerCount(entry: KeyEntry | undefined): number {
  const timers = entry?.timers;
  if (timers === undefined) return 0;
  return isList(timers) ? timers.length : 1;
}

function isList(timers: StoredTimer | readonly StoredTimer[]): timers is readonly StoredTimer[] {
  return Array.isArray(timers);
}

/** The entry for this state and these timers, or undefined when nothing is left. */
export function keyEntry(state: string | undefined, timers: readonly StoredTimer[]): KeyEntry | undefined {
  if (state === undefined && timers.length === 0) return undefined;
  return { state, timers: timers.length === 0 ? undefined : timers.length === 1 ? timers[0] : timers };
}

const internedIds = new Map<string, string>();
const INTERNED_IDS_MAX = 1_024;

/**
 * One string per distinct timer id, for ids decoded from the keyed-state topic: processors name their timers with a
 * few constants ("round"), and a reload would otherwise hold a copy per key. Bounded: ids made per key are kept as
 * they are once the table is full.
 */
export function internTimerId(id: string): string {
  const known = internedIds.get(id);
  if (known !== undefined) return known;
  if (internedIds.size < INTERNED_IDS_MAX) internedIds.set(id, id);
  return id;
}

export function timerBytes(timer: StoredTimer): Buffer {
  return Buffer.from(timer.packed, 'latin1');
}

export function packBytes(bytes: Buffer): string {
  return bytes.toString('latin1');
}

export function timerOf(entry: KeyEntry | undefined, id: string): StoredTimer | undefined {
  const timers = entry?.timers;
  if (timers === undefined) return undefined;
  return isList(timers) ? timers.find((t) => t.id === id) : timers.id === id ? timers : undefined;
}

export const KEYED_LIMITS = { timersPerKey: 100, stateBytes: 64 * 1024, timerIdChars: 200 } as const;

function invalid(message: string): AsmvsError {
  return new AsmvsError('KEYED_STATE_INVALID', message);
}

/** The entry without one timer (a timer that fired), or undefined when nothing is left. */
export function withoutTimer(entry: KeyEntry | undefined, id: string): KeyEntry | undefined {
  if (!entry || timerOf(entry, id) === undefined) return entry;
  return keyEntry(
    entry.state,
    timersOf(entry).filter((t) => t.id !== id),
  );
}

export class KeyedAttempt implements KeyedContext<SchemaTopic> {
  readonly #base: KeyEntry | undefined;
  readonly #encode: (value: unknown) => Buffer;
  readonly #now: () => number;
  readonly #fired: StoredTimer | undefined;
  #parsed = false;
  #state: unknown;
  #stateText: string | undefined;
  #stateChanged = false;
  #timers: StoredTimer[] | undefined; // copied on first change

  /** `fired`: the timer this attempt handles (it is no longer in `base`), whose value a reschedule may repeat. */
  constructor(
    base: KeyEntry | undefined,
    encode: (value: unknown) => Buffer,
    now: () => number,
    fired?: StoredTimer | undefined,
  ) {
    this.#base = base;
    this.#encode = encode;
    this.#now = now;
    this.#fired = fired;
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
    const timer = { id, at, scheduledAt: this.#now(), packed: this.#packed(id, timers[index], value) };
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
    return keyEntry(this.#stateText, this.#currentTimers());
  }

  /**
   * The value packed; the same string as before when a timer is scheduled again with the same value (a monitor's
   * next round): the new string then dies young, and the key's entry, which outlives it, holds no new copy.
   */
  #packed(id: string, replaced: StoredTimer | undefined, value: unknown): string {
    const packed = packBytes(this.#encode(value));
    const before = replaced ?? (this.#fired?.id === id ? this.#fired : undefined);
    return before !== undefined && before.packed === packed ? before.packed : packed;
  }

  #currentTimers(): readonly StoredTimer[] {
    return this.#timers ?? timersOf(this.#base);
  }

  #mutableTimers(): StoredTimer[] {
    this.#timers ??= [...timersOf(this.#base)];
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
