// Profiling driver: only the stage part of throughput.ts (run under `node --cpu-prof`).
// Usage: node --cpu-prof --cpu-prof-dir=DIR bench/runtime/stage-only.ts [events=50000]
import { createHarness } from '../../test/helpers/kafka-harness.ts';
import { echoStage, fmt, waitForRecords } from './common.ts';

const EVENTS = Number(process.argv[2] ?? 50_000);
const h = await createHarness('bench-stage', { partitions: 4 });
try {
  const items = Array.from({ length: EVENTS }, (_, i) => ({ key: `asset-${i % 1000}`, seq: i }));
  await h.produceRaw(items);
  const runner = echoStage(h, { ...h.config.runtime, concurrency: 64, maxInFlight: 5_000 });
  const started = Date.now();
  const cpu0 = process.cpuUsage();
  await runner.start();
  const ms = await waitForRecords(h, h.output, EVENTS, started, 120_000);
  const cpu = process.cpuUsage(cpu0);
  await runner.stop();
  const perEvent = (cpu.user + cpu.system) / EVENTS;
  console.log(
    `stage: ${fmt(ms === undefined ? Number.NaN : (EVENTS / ms) * 1000)} events/s, ${fmt(perEvent, 1)} µs CPU/event`,
  );
} finally {
  await h.close();
}
