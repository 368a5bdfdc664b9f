// On Kafka: a discovery request with an out-of-scope target ends in discovery-requests.dlq with its bytes and
// headers, and asm_discovery's onDeadLetter reports it as job-status FAILED for its request id (published in the
// same send as the dead letter), so `discover --follow` sees the request end instead of waiting for its timeout.
import { createTopicsSettled } from '../../src/runtime/kafka/create-topics.ts';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { IHeaders } from 'kafkajs';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { createStageRunner } from '../../src/runtime/kafka/stage-runner.ts';
import { createRegistryCodec, subjectOf } from '../../src/schemas/codec.ts';
import { requireKafka } from '../../src/config/config.ts';
import { wireStages } from '../../src/app/stage-deps.ts';
import { discoveryRequest } from '../../src/app/requests.ts';
import { headersAsStrings } from '../../src/runtime/dead-letter.ts';
import type { JobStatus } from '../../src/schemas/types.gen.ts';
import { stageSpec } from '../../src/topology.ts';
import { SCHEMA_REGISTRY_URL, stackConfig, uniquePrefix } from '../helpers/stack.ts';

test(
  'an out-of-scope discovery target: a dead letter with headers and a FAILED job-status for its request',
  { timeout: 90_000 },
  async () => {
    const prefix = uniquePrefix('dlq-hook');
    const config = stackConfig({ TOPIC_PREFIX: prefix });
    const kafka = createKafka(requireKafka(config), 'test-dlq-hook');
    const codec = createRegistryCodec({ url: SCHEMA_REGISTRY_URL, topicPrefix: prefix });
    // Every topic asm_discovery reads or writes (a stage checks them at start), and keyed-state: it is keyed, its
    // timers and state live there, partitioned like its input.
    const topics = [
      'discovery-requests',
      'discovery-requests.dlq',
      ...stageSpec('asm_discovery').outputs,
      'keyed-state',
    ].map((t) => prefix + t);
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsSettled(
      admin,
      topics.map((topic) => ({ topic, numPartitions: 2, replicationFactor: 1 })),
    );
    const wiring = await wireStages(config);
    const discovery = wiring.stages.find((s) => s.processor.name === 'asm_discovery');
    assert.ok(discovery);
    const runner = createStageRunner({
      processor: discovery.processor,
      deps: discovery.deps,
      kafka,
      codec,
      topicPrefix: prefix,
      runtime: config.runtime,
      logger: pino({ level: 'silent' }),
    });
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const readers: ReturnType<typeof kafka.consumer>[] = [];
    async function read(topic: string, count: number) {
      const reader = kafka.consumer({ groupId: `${prefix}reader-${readers.length}`, maxWaitTimeInMs: 50 });
      readers.push(reader);
      await reader.connect();
      await reader.subscribe({ topics: [prefix + topic], fromBeginning: true });
      const out: { key: string | null; value: Buffer | null; headers: IHeaders }[] = [];
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 30_000);
        void reader.run({
          eachMessage: async ({ message }) => {
            out.push({ key: message.key?.toString() ?? null, value: message.value, headers: message.headers ?? {} });
            if (out.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        });
      });
      await reader.disconnect();
      return out;
    }
    try {
      await codec.register(['discovery-requests', 'job-status']);
      const request = discoveryRequest(['169.254.169.254'], { scope: null, profile: 'default', ports: '80' });
      const bytes = codec.encode('discovery-requests', request);
      await producer.connect();
      await producer.send({
        topic: topics[0] as string,
        acks: -1,
        messages: [{ key: request.requestId, value: bytes, headers: { 'x-origin': 'test' } }],
      });
      await runner.start();

      const [dead] = await read('discovery-requests.dlq', 1);
      assert.ok(dead, 'a dead letter');
      assert.deepEqual(dead.value, bytes, 'the original bytes');
      assert.equal(dead.key, request.requestId);
      const hs = headersAsStrings(dead.headers);
      assert.equal(hs['asmvs-stage'], 'asm_discovery');
      assert.equal(hs['asmvs-error-code'], 'TARGET_OUT_OF_SCOPE');
      assert.equal(hs['asmvs-attempts'], '1');
      assert.equal(hs['asmvs-source-topic'], topics[0]);
      assert.match(hs['asmvs-error-message'] ?? '', /out of scope/);
      assert.equal(hs['x-origin'], 'test');

      const statuses = await Promise.all(
        (await read('job-status', 1)).map(async (r) => ({
          key: r.key,
          value: (await codec.decode('job-status', r.value as Buffer)) as JobStatus,
        })),
      );
      const failed = statuses.filter((s) => s.value.state === 'FAILED');
      assert.equal(failed.length, 1, JSON.stringify(statuses.map((s) => s.value.state)));
      assert.equal(failed[0]?.key, request.requestId);
      assert.equal(failed[0]?.value.requestId, request.requestId);
      assert.equal(failed[0]?.value.stage, 'asm_discovery');
      assert.equal(failed[0]?.value.errorCode, 'TARGET_OUT_OF_SCOPE');
      assert.equal(failed[0]?.value.message, hs['asmvs-error-message']);
      const assets = await admin.fetchTopicOffsets(prefix + 'assets');
      assert.equal(
        assets.reduce((n, p) => n + Number(p.high), 0),
        0,
        'no asset: nothing was scanned',
      );
    } finally {
      await runner.stop();
      await wiring.close();
      await producer.disconnect().catch(() => undefined);
      for (const r of readers) await r.disconnect().catch(() => undefined);
      const groups = (await admin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(prefix));
      await admin.deleteGroups(groups).catch(() => undefined);
      await admin.deleteTopics({ topics }).catch(() => undefined);
      await admin.disconnect();
      for (const topic of ['discovery-requests', 'job-status']) {
        const url = `${SCHEMA_REGISTRY_URL}/subjects/${encodeURIComponent(subjectOf(topic, prefix))}`;
        await fetch(url, { method: 'DELETE' }).catch(() => undefined);
        await fetch(`${url}?permanent=true`, { method: 'DELETE' }).catch(() => undefined);
      }
    }
  },
);
