// Back-pressure of a Kafka stage: the work in progress (received events and due timers, until their outputs are
// acknowledged) and the fetch that feeds it. The input is paused when too much is in flight or uncommitted (a slow
// event holds its partition's low-water mark, so everything received behind it waits to be committed), and resumed
// at half of both, so that it does not flap. When every partition is paused kafkajs 2.2.4 sleeps maxWaitTime and
// heartbeats: back-pressure never starves the group membership.
// Trap (kafkajs 2.2.4): pause() and resume() throw while the consumer restarts after a crash (it has no consumer
// group then), and the group it restarts with starts unpaused; reapply() on every join puts the pause back.

export interface FlowControlOptions {
  readonly maxInFlight: number;
  /** Received-but-uncommitted events before pausing. */
  readonly maxUncommitted: number;
  /** Due timers being handled at once: from firing until their records are handed to the producer. */
  readonly maxTimersInFlight: number;
  /**
   * Bytes of the records of handled timers not yet acknowledged. A handled timer holds only its records, so this
   * window is what lets the producer carry many timers per request while few are being handled.
   */
  readonly maxTimerBytesUnacked: number;
  readonly uncommitted: () => number;
  readonly pause: () => void;
  readonly resume: () => void;
}

export class FlowControl {
  readonly #o: FlowControlOptions;
  /** Received and not finished (timers that fired included). */
  #working = 0;
  /** Timers that fired and whose records are not handed to the producer yet. */
  #firing = 0;
  /** Bytes of the records of timers handed to the producer and not acknowledged. */
  #timerBytes = 0;
  #paused = false;
  #stopped = false;
  /** Infrastructure is unavailable: the input stays paused until it is back. */
  #held = false;

  constructor(o: FlowControlOptions) {
    this.#o = o;
  }

  get working(): number {
    return this.#working;
  }

  /** Events taken from a fetched batch. */
  received(n: number): void {
    this.#working += n;
  }

  /** A timer fell due and joined its key's mailbox. */
  timerDue(): void {
    this.#working += 1;
    this.#firing += 1;
  }

  /** A timer's records (`bytes` of them) went to the producer: it leaves the handling window for the bytes one. */
  timerSent(bytes: number): void {
    this.#firing -= 1;
    this.#timerBytes += bytes;
  }

  /**
   * One piece of work is over (finished, aborted or dropped with its partition); `sentBytes`: a timer whose records
   * went to the producer (timerSent), with their size.
   */
  released(timer: boolean, sentBytes?: number): void {
    this.#working -= 1;
    if (timer) {
      if (sentBytes === undefined) this.#firing -= 1;
      else this.#timerBytes -= sentBytes;
    }
    this.maybeResume();
  }

  /** Queued work of a revoked partition that will never start. */
  dropped(events: number, timers: number): void {
    this.#working -= events + timers;
    this.#firing -= timers;
  }

  /** Whether a due timer may fire now (otherwise it waits, due, in the timer heap). */
  mayFire(): boolean {
    return (
      this.#firing < this.#o.maxTimersInFlight &&
      this.#timerBytes < this.#o.maxTimerBytesUnacked &&
      this.#working < this.#o.maxInFlight &&
      !this.#stopped
    );
  }

  maybePause(): void {
    if (!this.#paused && (this.#working >= this.#o.maxInFlight || this.#o.uncommitted() >= this.#o.maxUncommitted))
      this.#pause();
  }

  maybeResume(): void {
    if (
      this.#paused &&
      !this.#stopped &&
      !this.#held &&
      this.#working < Math.max(1, this.#o.maxInFlight / 2) &&
      this.#o.uncommitted() < this.#o.maxUncommitted / 2
    ) {
      this.#paused = false;
      this.#call(this.#o.resume);
    }
  }

  /** Pauses the input while infrastructure is unavailable (what was fetched still runs, and waits where it must). */
  hold(held: boolean): void {
    this.#held = held;
    if (held) {
      if (!this.#paused) this.#pause();
    } else this.maybeResume();
  }

  /** After a (re)join: the consumer may have lost its pause. */
  reapply(): void {
    if (this.#paused) this.#call(this.#o.pause);
  }

  /** The stage is stopping: the input stays paused for good. */
  stop(): void {
    this.#stopped = true;
    this.#pause();
  }

  #pause(): void {
    this.#paused = true;
    this.#call(this.#o.pause);
  }

  #call(f: () => void): void {
    try {
      f();
    } catch {
      // restarting after a crash: reapply() runs when it has joined again
    }
  }
}
