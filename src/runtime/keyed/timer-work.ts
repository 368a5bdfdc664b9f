// A keyed stage's due timer as a unit of work, for either runner: it runs in its key's mailbox, in order with the
// key's events, and is delivered to handle() as an input value with meta.timer set. Its dead letter carries the
// timer's value, keyed by the input key, with the timer's id and due time in headers.
import type { AttemptWork } from '../attempt-pipeline.ts';
import type { Headers } from '../dead-letter.ts';
import { timerBytes } from './key-entry.ts';
import type { DueTimer } from './keyed-store.ts';

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

export class TimerWork implements AttemptWork {
  readonly due: DueTimer;
  readonly signal: AbortSignal;
  readonly offset = '-1';
  readonly headers = NO_HEADERS;

  constructor(due: DueTimer, signal: AbortSignal) {
    this.due = due;
    this.signal = signal;
  }

  get partition(): number {
    return this.due.partition;
  }

  get key(): string {
    return this.due.key;
  }

  /** Made on each read (the decode of each attempt, a dead letter), not kept while the timer's records are out. */
  get bytes(): Buffer {
    return timerBytes(this.due.timer);
  }

  get timestamp(): number {
    return this.due.timer.scheduledAt;
  }

  get original(): { key: string; headers: Headers } {
    const { timer } = this.due;
    return { key: this.due.key, headers: { 'asmvs-timer-id': timer.id, 'asmvs-timer-at': String(timer.at) } };
  }
}
