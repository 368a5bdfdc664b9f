// Replay on Kafka: N raw findings (one-check reports) already in raw-findings, drained by `asmvs run
// vs_normalization` in its own process (default settings); rate and the process's peak RSS (VmHWM from
// /proc/<pid>/status). Bounded: stops after the time limit and reports how far it got.
// Usage: node bench/stages/replay-memory.ts [events=1000000] [drainLimitSeconds=240]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import kafkajs from 'kafkajs';
import { createHarness } from '../../test/helpers/kafka-harness.ts';
import { KAFKA_BROKERS, SCHEMA_REGISTRY_URL } from '../../test/helpers/stack.ts';
import { fmt } from '../runtime/common.ts';
import { checksRawEvent } from './raw-events.ts';

const EVENTS = Number(process.argv[2] ?? 1_000_000);
const DRAIN_LIMIT_S = Number(process.argv[3] ?? 240);
const BIN = fileURLToPath(new URL('../../bin/asmvs.js', import.meta.url));
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
  const child = spawn(process.execPath, [BIN, 'run', 'vs_normalization'], {
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
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const groupId = `${h.prefix}asmvs.vs_normalization`;
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
    `replayed ${fmt(committed)} of ${fmt(EVENTS)} raw findings in ${fmt(seconds, 1)} s (${fmt(committed / seconds)} findings/s, process start and group join included)${committed < EVENTS ? ' — stopped at the time limit' : ''}`,
  );
  console.log(`  peak RSS of the vs_normalization process: ${fmt(peak / 1024, 1)} MB   (goal < 256 MB)`);
} finally {
  await h.admin.deleteTopics({ topics: extraTopics }).catch(() => undefined);
  for (const topic of extraOutputs)
    await fetch(`${SCHEMA_REGISTRY_URL}/subjects/${encodeURIComponent(`${h.prefix}${topic}-value`)}`, {
      method: 'DELETE',
    }).catch(() => undefined);
  await h.close();
}
