// Natural batching for the producer: the first send goes out at once (low latency); sends that arrive while a
// request is in flight wait and leave together in the next sendBatch (high throughput). One request at a time
// keeps the idempotent producer's per-partition order, so per-key order of outputs holds across events.
import type { Message, Producer } from 'kafkajs';

export interface OutRecord {
  readonly topic: string;
  readonly message: Message;
}

interface Pending {
  readonly records: readonly OutRecord[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

const MAX_RECORDS_PER_REQUEST = 5_000;

export class BatchingSender {
  readonly #producer: Producer;
  #pending: Pending[] = [];
  #busy = false;

  constructor(producer: Producer) {
    this.#producer = producer;
  }

  /** Resolves when every record is acknowledged by all in-sync replicas (acks=-1). */
  send(records: readonly OutRecord[]): Promise<void> {
    if (records.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#pending.push({ records, resolve, reject });
      if (!this.#busy) void this.#flush();
    });
  }

  async #flush(): Promise<void> {
    this.#busy = true;
    while (this.#pending.length > 0) {
      const batch: Pending[] = [];
      let count = 0;
      while (this.#pending.length > 0 && (batch.length === 0 || count + (this.#pending[0] as Pending).records.length <= MAX_RECORDS_PER_REQUEST)) {
        const next = this.#pending.shift() as Pending;
        batch.push(next);
        count += next.records.length;
      }
      try {
        await this.#producer.sendBatch({ acks: -1, topicMessages: byTopic(batch.flatMap((p) => p.records)) });
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    this.#busy = false;
  }
}

export function byTopic(records: readonly OutRecord[]): { topic: string; messages: Message[] }[] {
  const topics = new Map<string, Message[]>();
  for (const r of records) {
    let messages = topics.get(r.topic);
    if (!messages) topics.set(r.topic, (messages = []));
    messages.push(r.message);
  }
  return [...topics].map(([topic, messages]) => ({ topic, messages }));
}
