// vs_normalization on Kafka vs the runtime's pass-through (the echo stage of bench/runtime/throughput.ts) on the
// same broker, with the same runtime settings, in one run. Two workloads:
//  - one finding per raw event (a one-check asmvs-checks report, bench/stages/raw-events.ts): the worst case, where
//    every finding carries a whole raw event's decode and parse, and a scan summary of its own;
//  - host reports (bench/stages/host-report-events.ts): each raw event is one server's asmvs-checks report with
//    `perReport` findings (open ports and checks), as a real scan emits, and one summary per report.
// Pass-through is measured before and after the vs_normalization runs (the broker is shared; the drift is shown)
// and the ratios are against their mean. findings/s counts the normalized findings; the summaries are extra output.
// Usage: node bench/stages/normalization-throughput.ts [findings=100000] [perReport=20]
import pino from 'pino';
import kafkajs from 'kafkajs';
import { createHarness, type Harness } from '../../test/helpers/kafka-harness.ts';
import { createStageRunner } from '../../src/runtime/kafka/stage-runner.ts';
import type { AnyProcessor } from '../../src/processor.ts';
import type { RawFinding } from '../../src/schemas/types.gen.ts';
import { normalizeRaw } from '../../src/normalizers/index.ts';
import { vsNormalization } from '../../src/processors/vs-normalization.ts';
import { echoProcessor } from '../../test/helpers/fixtures/echo-processor.ts';
import { SCHEMA_REGISTRY_URL } from '../../test/helpers/stack.ts';
import { fmt, recordsIn, waitForRecords } from '../runtime/common.ts';
import { checksRawEvent } from './raw-events.ts';
import { hostReportRawEvent } from './host-report-events.ts';

const FINDINGS = Number(process.argv[2] ?? 100_000);
const PER_REPORT = Math.max(1, Number(process.argv[3] ?? 20));
const TIMEOUT_MS = 180_000;

async function produce(h: Harness, count: number, make: (i: number) => RawFinding): Promise<void> {
  const producer = h.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  // sends of at most ~512 KiB: the broker refuses a request larger than its message.max.bytes
  let messages: { key: string | null; value: Buffer }[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const raw = make(i);
    const value = h.codec.encode('raw-findings', raw);
    messages.push({ key: raw.assetId, value });
    bytes += value.length;
    if (bytes >= 512 * 1024 || messages.length === 2_000 || i === count - 1) {
      await producer.send({ topic: h.input, acks: -1, messages });
      messages = [];
      bytes = 0;
    }
  }
  await producer.disconnect();
}

/** Records/s written to normalized-findings by one stage draining the input (`records` new ones, up to `target`). */
async function rate(
  h: Harness,
  processor: AnyProcessor,
  deps: unknown,
  groupId: string,
  records: number,
  target: number,
): Promise<number> {
  const runner = createStageRunner({
    processor,
    deps,
    kafka: h.kafka,
    codec: h.codec,
    topicPrefix: h.prefix,
    groupId,
    runtime: { ...h.config.runtime, concurrency: 64, maxInFlight: 5_000 },
    logger: pino({ level: 'warn' }),
  });
  const started = Date.now();
  await runner.start();
  const ms = await waitForRecords(h, h.output, target, started, TIMEOUT_MS);
  await runner.stop();
  return ms === undefined ? Number.NaN : (records / ms) * 1000;
}

async function withSummaries(label: string): Promise<Harness> {
  const h = await createHarness(label, { partitions: 4 });
  await h.codec.register(['scan-results']);
  await h.admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic: `${h.prefix}scan-results`, numPartitions: 4, replicationFactor: 1 }],
  });
  return h;
}

async function dispose(h: Harness): Promise<void> {
  await h.admin.deleteTopics({ topics: [`${h.prefix}scan-results`] }).catch(() => undefined);
  await fetch(`${SCHEMA_REGISTRY_URL}/subjects/${encodeURIComponent(`${h.prefix}scan-results-value`)}`, {
    method: 'DELETE',
  }).catch(() => undefined);
  await h.close();
}

const norm = vsNormalization as unknown as AnyProcessor;
const normalization = { normalize: normalizeRaw, now: Date.now };
// the summaries left out (as for incomplete scans): what the second output costs
const findingsOnly = {
  normalize: (...a: Parameters<typeof normalizeRaw>) => ({ ...normalizeRaw(...a), complete: false }),
  now: Date.now,
};
const reports = Math.ceil(FINDINGS / PER_REPORT);
const checks = Math.min(4, PER_REPORT);

const one = await withSummaries('bench-norm1');
const host = await withSummaries('bench-normN');
try {
  await produce(one, FINDINGS, checksRawEvent);
  await produce(host, reports, (i) => hostReportRawEvent(i, PER_REPORT - checks, checks));
  const echo = echoProcessor() as unknown as AnyProcessor;
  const before = await rate(one, echo, {}, `${one.prefix}echo`, FINDINGS, FINDINGS);
  const single = await rate(one, norm, normalization, `${one.prefix}norm`, FINDINGS, 2 * FINDINGS);
  const singleOnly = await rate(one, norm, findingsOnly, `${one.prefix}norm-only`, FINDINGS, 3 * FINDINGS);
  const many = await rate(host, norm, normalization, `${host.prefix}norm`, reports * PER_REPORT, reports * PER_REPORT);
  const after = await rate(one, echo, {}, `${one.prefix}echo-again`, FINDINGS, 4 * FINDINGS);
  const passThrough = (before + after) / 2;
  const summaries = await recordsIn(host, `${host.prefix}scan-results`);
  const row = (label: string, value: number, unit: string) =>
    console.log(`  ${label.padEnd(52)} ${fmt(value).padStart(8)} ${unit}   ${fmt(value / passThrough, 2)}×`);
  console.log(`vs_normalization on Kafka, 4 partitions, same broker, group join included (goal ≥ 0.8× pass-through):`);
  console.log(`  runtime pass-through (echo stage), before / after     ${fmt(before)} / ${fmt(after)} events/s`);
  row(`one finding per raw event (${fmt(FINDINGS)}), + 1 summary each`, single, 'findings/s');
  row(`one finding per raw event, findings only`, singleOnly, 'findings/s');
  row(`host reports (${fmt(reports)} × ${PER_REPORT} findings), + 1 summary each`, many, 'findings/s');
  console.log(`  (summaries written for the host reports: ${fmt(summaries)} of ${fmt(reports)})`);
} finally {
  await dispose(one);
  await dispose(host);
}
