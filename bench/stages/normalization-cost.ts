// Where vs_normalization's time goes on one-finding raw reports, in-process and without a profiler: µs per raw
// report of each piece of its work (the best of repeated passes over the same events as
// normalization-throughput.ts), beside the pass-through stage's own pieces. kafkajs's produce-request encoding is
// timed on requests of 1,000 records, as the runtime sends them (kafkajs as patched by patches/kafkajs+2.2.4.patch).
// No broker: the figures say what each record and each step costs, not what the stage reaches on Kafka.
// Usage: node bench/stages/normalization-cost.ts [events=20000]
import { createRequire } from 'node:module';
import { readerType } from '../../src/schemas/reader-types.ts';
import type { SchemaTopic } from '../../src/schemas/registry-files.ts';
import { normalizeRaw } from '../../src/normalizers/index.ts';
import { vsNormalization } from '../../src/processors/vs-normalization.ts';
import { findingOf } from '../../test/helpers/fixtures/events.ts';
import { checksRawEvent } from './raw-events.ts';

type Encoded = { topic: SchemaTopic; key: string; value: Buffer; object?: unknown };
const N = Number(process.argv[2] ?? 20_000);
const require = createRequire(import.meta.url);
const produceRequest = require('kafkajs/src/protocol/requests/produce/v3/request.js') as (o: object) => {
  encode(): Promise<unknown>;
};
const raws = Array.from({ length: N }, (_, i) => checksRawEvent(i));
const provenance = { topic: 'raw-findings', partition: 0, offset: 1 };
const encode = (topic: SchemaTopic, value: unknown) => readerType(topic).toBuffer(value as never);

function best(label: string, f: (i: number) => unknown, passes = 10): number {
  let us = Infinity;
  for (let p = 0; p < passes; p++) {
    const t = performance.now();
    for (let i = 0; i < N; i++) f(i);
    us = Math.min(us, ((performance.now() - t) * 1000) / N);
  }
  console.log(`  ${label.padEnd(58)} ${us.toFixed(2).padStart(6)} µs`);
  return us;
}

function outputsOf(i: number): Encoded[] {
  const out: Encoded[] = [];
  const ctx = {
    deps: { normalize: normalizeRaw },
    meta: { ...provenance, offset: '1', key: null, headers: {}, timestamp: 0, attempt: 1 },
    emit: (topic: SchemaTopic, key: string, object: unknown) =>
      out.push({ topic, key, value: encode(topic, object), object }),
  };
  void vsNormalization.handle(raws[i] as never, ctx as never);
  return out;
}

/** µs per raw report of encoding produce requests of ~1,000 records (4 partitions per topic). */
async function requestCost(records: readonly Encoded[], reports: number): Promise<number> {
  const topics = new Map<string, Map<number, { key: string; value: Buffer }[]>>();
  for (const [j, r] of records.entries()) {
    const partitions = topics.get(r.topic) ?? topics.set(r.topic, new Map()).get(r.topic)!;
    const messages = partitions.get(j % 4) ?? partitions.set(j % 4, []).get(j % 4)!;
    messages.push({ key: r.key, value: r.value });
  }
  const topicData = [...topics].map(([topic, partitions]) => ({
    topic,
    partitions: [...partitions].map(([partition, messages]) => ({ partition, messages, firstSequence: 0 })),
  }));
  const once = () => produceRequest({ acks: -1, timeout: 30_000, topicData, producerEpoch: 0 }).encode();
  let us = Infinity;
  for (let p = 0; p < 15; p++) {
    const t = performance.now();
    for (let i = 0; i < 20; i++) await once();
    us = Math.min(us, ((performance.now() - t) * 1000) / 20 / reports);
  }
  return us;
}

console.log(`one-finding raw reports, ${N.toLocaleString('en-US')} events, µs per raw report (best of passes):`);
const rawType = readerType('raw-findings');
const rawBytes = raws.map((r) => rawType.toBuffer(r));
best('decode the raw event (Avro; the pass-through too)', (i) => rawType.fromBuffer(rawBytes[i] as Buffer));
best('normalizeRaw: detect, parse, map, fingerprint', (i) => normalizeRaw(raws[i]!, provenance));
best('  of which JSON.parse of the payload', (i) => JSON.parse(raws[i]!.payload.toString()));
const sample = outputsOf(0);
const outputs = raws.map((_, i) => outputsOf(i));
best('the whole handle: normalizeRaw, status, summary, their Avro', (i) => outputsOf(i));
for (const [k, o] of sample.entries())
  best(`  Avro encoding of ${o.topic} (${o.value.length} B)`, (i) => encode(o.topic, outputs[i]![k]!.object));
best('the pass-through: its finding built and encoded', (i) =>
  encode('normalized-findings', findingOf(raws[i]!, provenance)),
);
const reports = Math.floor(1_000 / sample.length);
const norm = await requestCost(outputs.slice(0, reports).flat(), reports);
console.log(
  `  ${"kafkajs produce-request encoding, vs_normalization's records".padEnd(58)} ${norm.toFixed(2).padStart(6)} µs`,
);
const echo = raws.slice(0, 1_000).map((r) => ({
  topic: 'normalized-findings' as const,
  key: r.assetId ?? '',
  value: encode('normalized-findings', findingOf(r, provenance)),
}));
const pass = await requestCost(echo, 1_000);
console.log(
  `  ${"kafkajs produce-request encoding, the pass-through's record".padEnd(58)} ${pass.toFixed(2).padStart(6)} µs`,
);
