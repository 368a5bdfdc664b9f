// Benchmark: on the real stack, the time from producing a discovery request (fast profile, one port of a real
// loopback service) to the first normalized finding of that request, through all five stages; and the same
// scanners run directly in this process, so that what the pipeline adds beyond the scan itself is visible.
// Goal: p50 < 2 s beyond the scan. Bounded: ROUNDS requests, 60 s each at most.
// Run: node bench/stages/request-to-finding.ts [rounds=15]
import '../quiet-kafkajs.ts';
import { createTopics } from '../../src/admin/topics.ts';
import { pipelineTopics } from '../../src/topology.ts';
import { runStages } from '../../src/app/run-stages.ts';
import { discoveryRequest } from '../../src/app/requests.ts';
import { loadConfig } from '../../src/config/load.ts';
import { requireKafka } from '../../src/config/config.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { publishEvent } from '../../src/runtime/kafka/publish.ts';
import { readTopic, topicEnd } from '../../src/runtime/kafka/read-topic.ts';
import { getScanner, runScanner, scannerContext } from '../../src/scanners/index.ts';
import { percentile } from '../runtime/common.ts';
import { benchReport } from '../report.ts';

const ROUNDS = Number(process.argv[2] ?? 15);
const PORT = 6379;
const prefix = `bench-r2f-${Date.now()}.`;
const config = loadConfig({
  KAFKA_BROKERS: process.env['KAFKA_BROKERS'] || '127.0.0.1:9092',
  SCHEMA_REGISTRY_URL: process.env['SCHEMA_REGISTRY_URL'] || 'http://127.0.0.1:8081/apis/ccompat/v7',
  TOPIC_PREFIX: prefix,
  TOPIC_PARTITIONS: '3',
  METRICS_PORT: '0',
  LOG_LEVEL: 'silent',
});

// The scan itself: what discovery (service-id) and the scan (asmvs-checks) cost for this target, in-process.
const scanOnly: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const ctx = scannerContext(config, { signal: new AbortController().signal });
  const t = performance.now();
  await runScanner(getScanner('service-id'), { target: '127.0.0.1', ports: [PORT] }, ctx);
  await runScanner(getScanner('asmvs-checks'), { target: '127.0.0.1', ports: [PORT] }, ctx);
  scanOnly.push(performance.now() - t);
}

await createTopics(config);
const stages = await runStages(config, [
  'asm_discovery',
  'host_scan',
  'asm_exposure',
  'vs_scan_trigger',
  'vs_result_fetcher',
  'vs_normalization',
]);
const from = await topicEnd(config, 'normalized-findings');
const sentAt = new Map<string, number>();
const firstAt = new Map<string, number>();
const reader = new AbortController();
const reading = readTopic(config, 'normalized-findings', { from, signal: reader.signal }, (r) => {
  const id = r.value?.requestId;
  if (id && sentAt.has(id) && !firstAt.has(id)) firstAt.set(id, performance.now());
});

const totals: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const request = discoveryRequest(['127.0.0.1'], { scope: null, profile: 'fast', ports: String(PORT) });
  sentAt.set(request.requestId, performance.now());
  await publishEvent(config, 'discovery-requests', request.requestId, request);
  const deadline = performance.now() + 60_000;
  while (!firstAt.has(request.requestId) && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const first = firstAt.get(request.requestId);
  if (first !== undefined) totals.push(first - (sentAt.get(request.requestId) ?? 0));
}
reader.abort();
await reading;
await stages.stop();
const admin = createKafka(requireKafka(config), 'bench').admin();
await admin.connect();
await admin
  .deleteTopics({ topics: pipelineTopics({ rawFindingsRetentionMs: 1 }).map((s) => prefix + s.name) })
  .catch(() => undefined);
await admin.disconnect();

const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
const t = sorted(totals);
const s = sorted(scanOnly);
console.log(
  `request → first normalized finding, ${totals.length}/${ROUNDS} requests (1 target, port ${PORT}, fast profile)`,
);
console.log(`  end to end     p50 ${percentile(t, 50).toFixed(0)} ms  p99 ${percentile(t, 99).toFixed(0)} ms`);
console.log(`  scanners alone p50 ${percentile(s, 50).toFixed(0)} ms  p99 ${percentile(s, 99).toFixed(0)} ms`);
console.log(`  beyond the scan p50 ${(percentile(t, 50) - percentile(s, 50)).toFixed(0)} ms (goal < 2000 ms)`);
const report = benchReport('stages/request-to-finding');
report.record({
  figure: `discovery request → first normalized finding on the stack, p50 of ${totals.length}/${ROUNDS}`,
  value: percentile(t, 50),
  unit: 'ms',
  baseline: { name: 'the same scanners run in-process, p50', value: percentile(s, 50) },
  goal: { text: 'p50 < 2000 ms beyond the scan', met: percentile(t, 50) - percentile(s, 50) < 2000 },
});
