// vs_normalization on Kafka vs the runtime's pass-through (the echo stage of bench/runtime/throughput.ts) on the
// same broker, with the same runtime settings, in one run. Two workloads:
//  - one finding per raw event (a one-check asmvs-checks report, bench/stages/raw-events.ts): the worst case, where
//    every finding carries a whole raw event's decode and parse, its own job-status record and scan summary;
//  - host reports (bench/stages/host-report-events.ts): each raw event is one server's asmvs-checks report with
//    `perReport` findings (open ports and checks), as a real scan emits, and one status and one summary per report.
// vs_normalization writes, per raw report: its findings (normalized-findings), one job-status record (the report is
// normalized: whoever follows the request counts it) and, for a complete report, its summary (scan-results). Two
// ablations say what each costs: without the summary (the report marked incomplete), and the findings alone (the
// same processor with its other outputs dropped: not a correct stage, a measurement).
// A bound beside them: normalizeRaw's CPU per raw event in this process (no Kafka) against the pass-through's CPU
// says how close to the pass-through the one-finding stage can come at best, whatever its records cost.
// Rates are steady state: from the first output record to the last (group join and start-up excluded). Every
// configuration, pass-through included, runs once per round in the same order and keeps its best round; the rounds
// are printed, so the drift of the shared broker shows.
// findings/s counts the normalized findings; statuses and summaries are extra output.
// Usage: node bench/stages/normalization-throughput.ts [findings=100000] [perReport=20] [rounds=2]
//   BENCH_CPU=1 also prints where each phase's CPU went (bench/cpu-areas.ts), BENCH_CPU_TOP=n its n costliest functions.
import '../quiet-kafkajs.ts';
import pino from 'pino';
import kafkajs from 'kafkajs';
import { setTimeout as delay } from 'node:timers/promises';
import { createHarness, type Harness } from '../../test/helpers/kafka-harness.ts';
import { createStageRunner } from '../../src/runtime/kafka/stage-runner.ts';
import type { AnyProcessor } from '../../src/processor.ts';
import type { RawFinding } from '../../src/schemas/types.gen.ts';
import { normalizeRaw } from '../../src/normalizers/index.ts';
import { vsNormalization } from '../../src/processors/vs-normalization.ts';
import { echoProcessor } from '../../test/helpers/fixtures/echo-processor.ts';
import { SCHEMA_REGISTRY_URL } from '../../test/helpers/stack.ts';
import { fmt, recordsIn } from '../runtime/common.ts';
import { benchReport } from '../report.ts';
import { printCpu, profiled } from '../cpu-areas.ts';
import { checksRawEvent } from './raw-events.ts';
import { hostReportRawEvent } from './host-report-events.ts';

const FINDINGS = Number(process.argv[2] ?? 100_000);
const PER_REPORT = Math.max(1, Number(process.argv[3] ?? 20));
const ROUNDS = Math.max(1, Number(process.argv[4] ?? 2));
const TIMEOUT_MS = 180_000;
const GOAL = 0.8;
const EXTRA_TOPICS = ['scan-results', 'job-status'] as const;

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

/**
 * Steady-state records/s written to normalized-findings by one stage draining the whole input (`records` new
 * ones): from the first new record seen to the last, polled every 25 ms. And this process's CPU time over the whole
 * drain (start-up and the polling included, both small) per input event: what one event costs the stage, which the
 * broker's drift between drains does not move as it moves a rate.
 */
async function rate(
  h: Harness,
  label: string,
  processor: AnyProcessor,
  deps: unknown,
  records: number,
  events: number,
): Promise<{ rate: number; cpuUs: number }> {
  const runner = createStageRunner({
    processor,
    deps,
    kafka: h.kafka,
    codec: h.codec,
    topicPrefix: h.prefix,
    groupId: `${h.prefix}${label}`,
    runtime: { ...h.config.runtime, concurrency: 64, maxInFlight: 5_000 },
    logger: pino({ level: 'warn' }),
  });
  const base = await recordsIn(h, h.output);
  const target = base + records;
  const drain = async () => {
    const started = Date.now();
    await runner.start();
    let first: { at: number; count: number } | undefined;
    while (Date.now() - started < TIMEOUT_MS) {
      const count = await recordsIn(h, h.output);
      if (first === undefined && count > base) first = { at: Date.now(), count };
      // too few records after the first poll to time: the drain was shorter than the polling can resolve
      if (count >= target && first)
        return target - first.count < records / 2
          ? Number.NaN
          : ((target - first.count) / Math.max(1, Date.now() - first.at)) * 1000;
      await delay(25);
    }
    return Number.NaN;
  };
  const timed = async () => {
    const before = process.cpuUsage();
    const result = await drain();
    const cpu = process.cpuUsage(before);
    return { rate: result, cpuUs: (cpu.user + cpu.system) / events };
  };
  try {
    if (!process.env['BENCH_CPU']) return await timed();
    const { result, cpu } = await profiled(timed);
    printCpu(label, cpu);
    return result;
  } finally {
    await runner.stop();
  }
}

async function harness(label: string): Promise<Harness> {
  const h = await createHarness(label, { partitions: 4 });
  await h.codec.register([...EXTRA_TOPICS]);
  await h.admin.createTopics({
    waitForLeaders: true,
    topics: EXTRA_TOPICS.map((t) => ({ topic: `${h.prefix}${t}`, numPartitions: 4, replicationFactor: 1 })),
  });
  return h;
}

async function dispose(h: Harness): Promise<void> {
  await h.admin.deleteTopics({ topics: EXTRA_TOPICS.map((t) => `${h.prefix}${t}`) }).catch(() => undefined);
  for (const t of EXTRA_TOPICS)
    await fetch(`${SCHEMA_REGISTRY_URL}/subjects/${encodeURIComponent(`${h.prefix}${t}-value`)}`, {
      method: 'DELETE',
    }).catch(() => undefined);
  await h.close();
}

const norm = vsNormalization as unknown as AnyProcessor;
const normalization = { normalize: normalizeRaw, now: Date.now };
// the summaries left out (as for incomplete scans): what the summary record costs
const noSummary = {
  normalize: (...a: Parameters<typeof normalizeRaw>) => ({ ...normalizeRaw(...a), complete: false }),
  now: Date.now,
};
// the findings alone: vs_normalization with every other output dropped (what the extra records cost together)
const findingsOnly: AnyProcessor = {
  ...norm,
  handle: (event, ctx) =>
    norm.handle(event, {
      signal: ctx.signal,
      deps: ctx.deps,
      meta: ctx.meta,
      keyed: ctx.keyed,
      get log() {
        return ctx.log; // made only when used, as the runner's context does
      },
      emit: (topic, key, value) => {
        if (topic === 'normalized-findings') ctx.emit(topic, key, value);
      },
    }),
};
/**
 * CPU per raw event of normalizing alone, in this process without Kafka: normalizeRaw on the one-finding workload's
 * raw events, built beforehand; the lesser of two passes (the first also warms the code up). What the stage adds to a
 * pass-through's work per raw event at the least, before its extra records: it bounds the one-finding ratio.
 */
function normalizingCpuUs(count: number): number {
  const events = Array.from({ length: count }, (_, i) => checksRawEvent(i));
  let least = Number.POSITIVE_INFINITY;
  for (let pass = 0; pass < 2; pass++) {
    const before = process.cpuUsage();
    for (let i = 0; i < count; i++)
      normalizeRaw(events[i] as RawFinding, { topic: 'raw-findings', partition: i % 4, offset: i }, { now: 0 });
    const cpu = process.cpuUsage(before);
    least = Math.min(least, (cpu.user + cpu.system) / count);
  }
  return least;
}

const reports = Math.ceil(FINDINGS / PER_REPORT);
const checks = Math.min(4, PER_REPORT);

const one = await harness('bench-norm1');
const host = await harness('bench-normN');
try {
  await produce(one, FINDINGS, checksRawEvent);
  await produce(host, reports, (i) => hostReportRawEvent(i, PER_REPORT - checks, checks));
  const echo = echoProcessor() as unknown as AnyProcessor;
  const findings = reports * PER_REPORT;
  // Every configuration drains its topic once per round, in the same order, and keeps its best round: the first
  // round of a processor also warms up its code (the JIT, avsc's generated codecs), which a stage pays once.
  // the one-finding topic (a raw event, a finding) and the host reports' (a raw event, PER_REPORT findings)
  const oneEach = { h: one, records: FINDINGS, events: FINDINGS };
  const hosts = { h: host, records: findings, events: reports };
  const phases = [
    { label: 'echo', processor: echo, deps: {}, ...oneEach },
    { label: 'norm', processor: norm, deps: normalization, ...oneEach },
    { label: 'norm-no-summary', processor: norm, deps: noSummary, ...oneEach },
    { label: 'norm-findings-only', processor: findingsOnly, deps: normalization, ...oneEach },
    { label: 'host-norm', processor: norm, deps: normalization, ...hosts },
    { label: 'host-norm-no-summary', processor: norm, deps: noSummary, ...hosts },
    { label: 'host-norm-findings-only', processor: findingsOnly, deps: normalization, ...hosts },
  ] as const;
  type Label = (typeof phases)[number]['label'];
  const rounds = new Map<string, { rate: number; cpuUs: number }[]>(phases.map((p) => [p.label, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    const figures: string[] = [];
    for (const p of phases) {
      const value = await rate(p.h, `${p.label}-${round}`, p.processor, p.deps, p.records, p.events);
      rounds.get(p.label)!.push(value);
      figures.push(`${p.label} ${fmt(value.rate)} (${fmt(value.cpuUs, 1)} µs CPU/event)`);
    }
    console.log(`  round ${round} (findings/s): ${figures.join(', ')}`);
  }
  // NaN when no round could be timed (the report then prints no figure), not Math.max()'s -Infinity
  const best = (label: Label) => {
    const timed = rounds
      .get(label)!
      .map((r) => r.rate)
      .filter(Number.isFinite);
    return timed.length > 0 ? Math.max(...timed) : Number.NaN;
  };
  // the least CPU per event of a configuration's timed rounds (a round the JIT was still warming costs more)
  const leastCpu = (label: Label) => {
    const timed = rounds.get(label)!.filter((r) => Number.isFinite(r.rate));
    return timed.length > 0 ? Math.min(...timed.map((r) => r.cpuUs)) : Number.NaN;
  };
  const passThrough = best('echo');
  const single = best('norm');
  const singleNoSummary = best('norm-no-summary');
  const singleOnly = best('norm-findings-only');
  const many = best('host-norm');
  const manyNoSummary = best('host-norm-no-summary');
  const manyOnly = best('host-norm-findings-only');
  const summaries = await recordsIn(host, `${host.prefix}scan-results`);
  const statuses = await recordsIn(host, `${host.prefix}job-status`);
  const report = benchReport('stages/normalization-throughput');
  const row = (label: string, value: number, goal: boolean) =>
    report.record({
      figure: goal ? label : `${label} (ablation)`,
      value,
      unit: 'findings/s',
      baseline: { name: `runtime pass-through (echo stage), best of ${ROUNDS} rounds`, value: passThrough },
      ...(goal ? { goal: { on: 'ratio' as const, op: '≥' as const, limit: GOAL } } : {}),
    });
  console.log(`vs_normalization on Kafka, 4 partitions, same broker, steady state (goal ≥ ${GOAL}× pass-through):`);
  console.log(`  baseline: runtime pass-through (echo stage), best of ${ROUNDS} rounds: ${fmt(passThrough)} events/s`);
  row(`one finding per raw event (${fmt(FINDINGS)}): finding + status + summary`, single, true);
  row(`one finding per raw event: finding + status (no summary)`, singleNoSummary, false);
  row(`one finding per raw event: the finding alone`, singleOnly, false);
  row(`host reports (${fmt(reports)} × ${PER_REPORT} findings): findings + status + summary`, many, true);
  row(`host reports: findings + status (no summary)`, manyNoSummary, false);
  row(`host reports: the findings alone`, manyOnly, false);
  // What each output costs the stage in CPU, which decides whether the summary earns its own record: against the
  // pass-through's CPU per event (one finding per raw event) and against the findings alone (host reports).
  const cpuRow = (label: string, value: number, baseline: { name: string; value: number }) =>
    report.record({ figure: `stage CPU per raw event, ${label}`, value, unit: 'µs', baseline });
  const echoCpu = { name: `runtime pass-through (echo stage), least of ${ROUNDS} rounds`, value: leastCpu('echo') };
  cpuRow('one finding per raw event: finding + status + summary', leastCpu('norm'), echoCpu);
  cpuRow('one finding per raw event: finding + status (no summary)', leastCpu('norm-no-summary'), echoCpu);
  cpuRow('one finding per raw event: the finding alone', leastCpu('norm-findings-only'), echoCpu);
  // The bound: the one-finding stage does at least the pass-through's work (decode, encode, produce one record per
  // event) and normalizes; so even with its status and summary free, its ratio is at most about this.
  const normalizing = normalizingCpuUs(FINDINGS);
  cpuRow('one finding per raw event: normalizing alone, in-process (normalizeRaw, no Kafka)', normalizing, echoCpu);
  const ceiling = echoCpu.value / (echoCpu.value + normalizing);
  report.record({
    figure:
      'one finding per raw event: the ratio its CPU allows at best, pass-through CPU ÷ (pass-through CPU + normalizing alone), the status and summary free',
    value: ceiling,
    unit: '×',
    baseline: { none: 'a bound computed from the two CPU figures above, not a run' },
  });
  const hostOnlyCpu = { name: 'the findings alone', value: leastCpu('host-norm-findings-only') };
  cpuRow(`host report (${PER_REPORT} findings): findings + status + summary`, leastCpu('host-norm'), hostOnlyCpu);
  cpuRow('host report: findings + status (no summary)', leastCpu('host-norm-no-summary'), hostOnlyCpu);
  console.log(
    `  (host reports: ${fmt(summaries)} summaries written of ${fmt(ROUNDS * reports)} expected, ${fmt(statuses)} statuses of ${fmt(2 * ROUNDS * reports)})`,
  );
} finally {
  await dispose(one);
  await dispose(host);
}
