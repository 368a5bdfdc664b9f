// Replay on Kafka: N raw findings (one-check reports) already in raw-findings, drained by `asmvs run
// vs_normalization` in its own process, as users run it (bin/asmvs.js: the memory defaults it applies); rate and the
// process's peak RSS (VmHWM from /proc/<pid>/status). The baseline drains the same backlog again, from the start,
// with Node's own heap sizing (src/cli/main.ts run directly, which applies no defaults). Bounded: each drain stops
// after the time limit and reports how far it got.
// Usage: node bench/stages/replay-memory.ts [events=1000000] [drainLimitSeconds=240]
import '../quiet-kafkajs.ts';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import kafkajs from 'kafkajs';
import { createHarness } from '../../test/helpers/kafka-harness.ts';
import { KAFKA_BROKERS, SCHEMA_REGISTRY_URL } from '../../test/helpers/stack.ts';
import { fmt } from '../runtime/common.ts';
import { benchReport } from '../report.ts';
import { checksRawEvent } from './raw-events.ts';

const EVENTS = Number(process.argv[2] ?? 1_000_000);
const DRAIN_LIMIT_S = Number(process.argv[3] ?? 240);
const BIN = fileURLToPath(new URL('../../bin/asmvs.js', import.meta.url));
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const peakKb = (pid: number) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);

const h = await createHarness('bench-replay', { partitions: 4 });
// vs_normalization's outputs besides normalized-findings (the harness's output): summaries and job status.
const extraOutputs = ['scan-results', 'job-status'] as const;
const extraTopics = extraOutputs.map((t) => `${h.prefix}${t}`);
try {
  await h.codec.register([...extraOutputs]);
  await h.admin.createTopics({
    waitForLeaders: true,
    topics: extraTopics.map((topic) => ({ topic, numPartitions: 4, replicationFactor: 1 })),
  });
  const producer = h.kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const t0 = Date.now();
  for (let i = 0; i < EVENTS; i += 5_000) {
    const messages = [];
    for (let j = i; j < Math.min(EVENTS, i + 5_000); j++) {
      const raw = checksRawEvent(j);
      messages.push({ key: raw.assetId, value: h.codec.encode('raw-findings', raw) });
    }
    await producer.send({ topic: h.input, acks: -1, messages });
  }
  await producer.disconnect();
  console.log(`backlog: ${fmt(EVENTS)} raw findings produced in ${fmt((Date.now() - t0) / 1000, 1)} s`);

  // STAGE_NODE_OPTIONS, e.g. --max-old-space-size=160: how an operator caps V8's heap in a container
  const nodeOptions = process.env['STAGE_NODE_OPTIONS'];
  console.log(`stage NODE_OPTIONS: ${nodeOptions ?? '(none)'}`);
  const groupId = `${h.prefix}asmvs.vs_normalization`;

  /** One drain of the whole backlog by a vs_normalization process started from `entry`. */
  const drain = async (label: string, entry: string) => {
    const child = spawn(
      process.execPath,
      ['--disable-warning=TimeoutNegativeWarning', entry, 'run', 'vs_normalization'],
      {
        env: {
          PATH: process.env['PATH'] ?? '',
          KAFKA_BROKERS,
          SCHEMA_REGISTRY_URL,
          TOPIC_PREFIX: h.prefix,
          METRICS_PORT: '0',
          LOG_LEVEL: 'warn',
          ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      },
    );
    const exited = new Promise((resolve) => child.once('exit', resolve));
    const started = Date.now();
    let peak = 0;
    let committed = 0;
    while (Date.now() - started < DRAIN_LIMIT_S * 1000 && child.exitCode === null) {
      peak = Math.max(peak, peakKb(child.pid as number));
      committed = await h.committed(groupId);
      if (committed >= EVENTS) break;
      await delay(500);
    }
    if (child.exitCode === null) peak = Math.max(peak, peakKb(child.pid as number));
    const seconds = (Date.now() - started) / 1000;
    child.kill('SIGTERM');
    await exited;
    console.log(
      `${label}: replayed ${fmt(committed)} of ${fmt(EVENTS)} raw findings in ${fmt(seconds, 1)} s (${fmt(committed / seconds)} findings/s, process start and group join included)${committed < EVENTS ? ' — stopped at the time limit' : ''}; peak RSS ${fmt(peak / 1024, 1)} MB`,
    );
    return { rate: committed / seconds, peakMb: peak / 1024, complete: committed >= EVENTS };
  };

  const ours = await drain('asmvs run (bin/asmvs.js: its memory defaults)', BIN);
  // The same backlog again from its start: the group is empty once the first process has left.
  await h.admin.resetOffsets({ groupId, topic: h.input, earliest: true });
  const node = await drain("Node's own heap sizing (src/cli/main.ts directly)", MAIN);
  const report = benchReport('stages/replay-memory');
  report.record({
    figure: `peak RSS replaying ${fmt(EVENTS)} raw findings, asmvs run`,
    value: ours.complete ? ours.peakMb : Number.NaN,
    unit: 'MB',
    baseline: { name: "Node's own heap sizing", value: node.complete ? node.peakMb : Number.NaN },
    goal: { on: 'value', op: '<', limit: 256 },
  });
  report.record({
    figure: 'replay rate with the asmvs memory defaults (what the smaller heap costs)',
    value: ours.rate,
    unit: 'findings/s',
    baseline: { name: "Node's own heap sizing", value: node.rate },
  });
} finally {
  await h.admin.deleteTopics({ topics: extraTopics }).catch(() => undefined);
  for (const topic of extraOutputs)
    await fetch(`${SCHEMA_REGISTRY_URL}/subjects/${encodeURIComponent(`${h.prefix}${topic}-value`)}`, {
      method: 'DELETE',
    }).catch(() => undefined);
  await h.close();
}
