// Benchmark: each stage's ceiling on the real broker, with its scanners replaced by instant fakes (admission and the
// built-in scan return at once; discovery of single addresses, exposure and normalization are the real code). For each
// stage: N events produced to its input (discovery's are single addresses: one host-scans item each), then the stage runs until its main output holds N results. Start-up (group
// join, first fetches) is timed apart: the steady rate counts only the results after the first fifth had arrived.
// Baseline, same broker and settings, measured first: the runtime's pass-through (the echo processor,
// raw-findings → normalized-findings). Bounded: N events per stage, 120 s per stage at most.
// Run: node bench/stages/stage-ceiling.ts [N=100000]
import '../quiet-kafkajs.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { readFileSync } from 'node:fs';
import pino from 'pino';
import { createTopics } from '../../src/admin/topics.ts';
import { pipelineTopics } from '../../src/topology.ts';
import { wireStages } from '../../src/app/stage-deps.ts';
import { discoveryRequest, scanRequest } from '../../src/app/requests.ts';
import { loadConfig } from '../../src/config/load.ts';
import { requireKafka } from '../../src/config/config.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { publishEvents } from '../../src/runtime/kafka/publish.ts';
import { runStage } from '../../src/runtime/kafka/run-stage.ts';
import { vsScanTrigger } from '../../src/processors/vs-scan-trigger.ts';
import { vsResultFetcher } from '../../src/processors/vs-result-fetcher.ts';
import type { AnyProcessor } from '../../src/processor.ts';
import type { SchemaTopic } from '../../src/schemas/registry-files.ts';
import type { Asset, RawFinding, ScanJob } from '../../src/schemas/types.gen.ts';
import { echoProcessor } from '../../test/helpers/fixtures/echo-processor.ts';
import { benchReport } from '../report.ts';

const N = Number(process.argv[2] ?? 100_000);
/** The share of the results that counts as start-up: the steady rate is timed after it. */
const WARMUP = 0.2;
const report = benchReport('stages/stage-ceiling');
const prefix = `bench-ceiling-${Date.now()}.`;
const settings = {
  KAFKA_BROKERS: process.env['KAFKA_BROKERS'] || '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: process.env['SCHEMA_REGISTRY_URL'] || 'http://127.0.0.1:8081/apis/ccompat/v7',
  TOPIC_PREFIX: prefix,
  TOPIC_PARTITIONS: '12',
  METRICS_PORT: '0',
  STAGE_CONCURRENCY: '64',
};
const config = loadConfig(settings);
const prefixes: string[] = [];
const kafka = createKafka(requireKafka(config), 'bench');
const admin = kafka.admin();
await admin.connect();
const checks = readFileSync(new URL('../../test/fixtures/reports/asmvs-checks.json', import.meta.url));
const real = await wireStages(config);
const realDeps = (name: string) => real.stages.find((s) => s.processor.name === name)!;
const service = {
  port: 6379,
  protocol: 'TCP' as const,
  state: 'open',
  service: 'redis',
  product: 'Redis',
  version: '7',
  banner: null,
  tls: null,
  http: null,
  attributes: {},
};

async function count(p: string, topic: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(p + topic);
  return offsets.reduce((n, p) => n + Number(p.high) - Number(p.low), 0);
}

async function measure(
  name: string,
  processor: AnyProcessor,
  deps: unknown,
  input: SchemaTopic,
  events: { key: string; value: never }[],
  output: SchemaTopic,
  perEvent: number,
): Promise<number> {
  // Topics of its own per stage, so that no stage sees what the previous measurement produced.
  const own = `${prefix}${name}.`;
  prefixes.push(own);
  const stageConfig = loadConfig({ ...settings, TOPIC_PREFIX: own });
  await createTopics(stageConfig);
  await publishEvents(stageConfig, input, events);
  const started = performance.now();
  const runner = await runStage(stageConfig, processor, { deps, logger: pino({ level: 'silent' }) });
  const total = N * perEvent;
  let firstAt: number | undefined;
  let from: { at: number; done: number } | undefined;
  let done = 0;
  while (performance.now() - started < 120_000) {
    done = await count(own, output);
    const at = performance.now();
    if (firstAt === undefined && done > 0) firstAt = at;
    if (from === undefined && done >= total * WARMUP) from = { at, done };
    if (done >= total) break;
    await sleep(20);
  }
  const ended = performance.now();
  await runner.stop();
  const steady =
    from !== undefined && done > from.done ? (done - from.done) / perEvent / ((ended - from.at) / 1000) : Number.NaN;
  const startup = firstAt === undefined ? Number.NaN : firstAt - started;
  console.log(
    `${name.padEnd(18)} ${String(Math.round(steady)).padStart(7)} events/s steady  (${done / perEvent}/${N} in ${((ended - started) / 1000).toFixed(1)} s; first result after ${(startup / 1000).toFixed(1)} s)`,
  );
  return steady;
}

/** A distinct loopback address per event (valid past 65,536 events: 127.0.256.0 is no address). */
const address = (i: number) => `127.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const now = Date.now();
const assets: Asset[] = Array.from({ length: N }, (_, i) => ({
  eventId: `a${i}`,
  requestId: `r${i}`,
  producedAt: now,
  producer: { stage: 'bench', version: '0' },
  assetId: `asset-${i}`,
  kind: 'IP',
  value: address(i),
  hostnames: [],
  addresses: [address(i)],
  dnsRecords: [],
  services: [service],
  observedAt: now,
  discoveredBy: 'bench',
  scope: null,
  scanAfterDiscovery: true,
  organizationId: null,
  labels: {},
  reachability: null,
  resolvedFrom: null,
}));
const jobs: ScanJob[] = Array.from({ length: N }, (_, i) => ({
  eventId: `j${i}`,
  requestId: `r${i}`,
  producedAt: now,
  producer: { stage: 'bench', version: '0' },
  scanId: `scan-${i}`,
  assetId: `asset-${i}`,
  target: '127.0.0.1',
  address: '127.0.0.1',
  ports: [6379],
  scanners: ['asmvs-checks'],
  profile: 'fast',
  engine: 'BUILTIN',
  platformScanId: null,
  scope: null,
  startedAt: now,
  deadlineAt: now + 60_000,
  hostname: null,
  services: [],
}));
const raws: RawFinding[] = jobs.map((j, i) => ({
  eventId: `raw${i}`,
  requestId: j.requestId,
  producedAt: now,
  producer: { stage: 'bench', version: '0' },
  scanId: j.scanId,
  assetId: j.assetId,
  target: address(i),
  address: null,
  scanner: { name: 'asmvs-checks', version: '0.1.0' },
  format: 'asmvs-checks-json',
  payload: checks,
  truncated: false,
  complete: true,
  part: 0,
  parts: 1,
  startedAt: now,
  finishedAt: now,
}));

console.log(`stage ceilings, ${N} events each, 12 partitions, concurrency 64, scanners faked`);
const passThrough = await measure(
  'pass-through',
  echoProcessor() as unknown as AnyProcessor,
  {},
  'raw-findings',
  raws.map((r) => ({ key: r.assetId ?? r.target, value: r as never })),
  'normalized-findings',
  1,
);
report.record({
  figure: 'runtime pass-through (echo processor), steady',
  value: passThrough,
  unit: 'events/s',
  baseline: { none: 'it is the baseline of the stages below: the runtime with a processor that only re-emits' },
});

/** One stage measured and recorded against the pass-through. */
async function ceiling(...args: Parameters<typeof measure>): Promise<void> {
  report.record({
    figure: `${args[0]}, steady (after the first ${WARMUP * 100} % of results)`,
    value: await measure(...args),
    unit: 'events/s',
    baseline: { name: 'runtime pass-through', value: passThrough },
  });
}

await ceiling(
  'asm_discovery',
  realDeps('asm_discovery').processor,
  realDeps('asm_discovery').deps,
  'discovery-requests',
  Array.from({ length: N }, (_, i) => {
    const r = discoveryRequest([address(i)], { scope: null, profile: 'fast', ports: null });
    return { key: r.requestId, value: r as never };
  }),
  'host-scans',
  1,
);
await ceiling(
  'asm_exposure',
  realDeps('asm_exposure').processor,
  realDeps('asm_exposure').deps,
  'assets',
  assets.map((a) => ({ key: a.assetId, value: a as never })),
  'scan-requests',
  1,
);
await ceiling(
  'vs_scan_trigger',
  vsScanTrigger as unknown as AnyProcessor,
  {
    defaultEngine: 'BUILTIN',
    defaultScanners: ['asmvs-checks'],
    deadlineMs: 60_000,
    now: Date.now,
    admit: async (r: { target: string }) => r.target,
  },
  'scan-requests',
  Array.from({ length: N }, (_, i) => {
    const r = scanRequest(address(i), {
      scope: null,
      profile: 'fast',
      ports: [6379],
      engine: 'BUILTIN',
    });
    return { key: r.target, value: r as never };
  }),
  'scan-jobs',
  1,
);
await ceiling(
  'vs_result_fetcher',
  vsResultFetcher as unknown as AnyProcessor,
  {
    now: Date.now,
    runBuiltin: async function* () {
      yield {
        scanner: { name: 'asmvs-checks', version: '0.1.0' },
        format: 'asmvs-checks-json',
        payload: checks,
        truncated: false,
        complete: true,
        startedAt: now,
        finishedAt: now,
      };
    },
  },
  'scan-jobs',
  jobs.map((j) => ({ key: j.scanId, value: j as never })),
  'raw-findings',
  1,
);
await ceiling(
  'vs_normalization',
  realDeps('vs_normalization').processor,
  realDeps('vs_normalization').deps,
  'raw-findings',
  raws.map((r) => ({ key: r.assetId ?? r.target, value: r as never })),
  'normalized-findings',
  findingsPerReport(),
);

function findingsPerReport(): number {
  const doc = JSON.parse(checks.toString()) as { services: unknown[]; checks: unknown[] };
  return doc.services.length + doc.checks.length;
}

await real.close();
await admin
  .deleteTopics({ topics: pipelineTopics({ rawFindingsRetentionMs: 1 }).map((s) => prefix + s.name) })
  .catch(() => undefined);
await admin.disconnect();
