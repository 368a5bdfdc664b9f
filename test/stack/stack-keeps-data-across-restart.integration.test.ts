// `stack:down` then `stack:up` keeps topics, committed offsets and schemas (issue 12 item 4): on a private stack
// (its own ports and state directory, so the shared stack keeps running), records written with registry ids are
// all consumed and decoded after the restart by a codec that knows nothing yet, a committed offset is where it
// was, registering the same schemas again answers the same ids, and a new schema gets an id none of the retained
// records uses. One restart cycle: about 25 s of stack start and stop.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Kafka } from 'kafkajs';
import { request } from 'undici';
import { createRegistryCodec, subjectOf } from '../../src/schemas/codec.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { requireKafka } from '../../src/config/config.ts';
import { loadConfig } from '../../src/config/load.ts';
import type { AssetChange, JobStatus } from '../../src/schemas/types.gen.ts';
import { privateStack, type PrivateStack } from '../helpers/private-stack.ts';

const PER_TOPIC = 150;
const COMMITTED = 100;
const prefix = 'keep.';
const group = 'keep-reader';

let stack: PrivateStack;
before(async () => {
  stack = await privateStack('stack-restart');
  await stack.stack('up');
});
after(async () => {
  await stack?.dispose();
});

const kafkaOf = (s: PrivateStack): Kafka =>
  createKafka(requireKafka(loadConfig({ KAFKA_BROKERS: s.brokers, LOG_LEVEL: 'silent' })), 'stack-restart');

const producer = { stage: 'test', version: '0' };

function jobStatus(i: number): JobStatus {
  return {
    eventId: randomUUID(),
    requestId: `req-${i}`,
    producedAt: 1_700_000_000_000 + i,
    producer,
    stage: 'asm_discovery',
    state: 'RUNNING',
    subject: null,
    message: `step ${i}`,
    errorCode: null,
    done: i,
    total: PER_TOPIC,
    counts: { hosts: i },
  };
}

function assetChange(i: number): AssetChange {
  return {
    eventId: randomUUID(),
    requestId: `req-${i}`,
    producedAt: 1_700_000_000_000 + i,
    producer,
    changeId: `change-${i}`,
    assetId: `asset-${i % 7}`,
    kind: 'PORT_OPENED',
    subject: `127.0.0.1:${1000 + i}/tcp`,
    before: null,
    after: 'open',
    observedAt: 1_700_000_000_000 + i,
  };
}

const TOPICS = ['job-status', 'asset-changes'] as const;
type Topic = (typeof TOPICS)[number];
const valueOf = (topic: Topic, i: number) => (topic === 'job-status' ? jobStatus(i) : assetChange(i));

/** Every record of a one-partition topic, up to its end as the broker reports it now. */
async function readAll(kafka: Kafka, topic: string): Promise<Buffer[]> {
  const admin = kafka.admin();
  await admin.connect();
  const [end] = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const last = Number(end?.high ?? 0) - 1;
  if (last < 0) return [];
  const consumer = kafka.consumer({ groupId: `read-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const values: Buffer[] = [];
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        values.push(message.value ?? Buffer.alloc(0));
        if (Number(message.offset) >= last) resolve();
      },
    });
  });
  await consumer.disconnect();
  return values;
}

interface Written {
  readonly sent: Map<Topic, unknown[]>;
  readonly ids: Map<Topic, number>;
}

/** Topics, records written with registry ids, and a committed offset. */
async function writeRecords(): Promise<Written> {
  const sent = new Map<Topic, unknown[]>();
  const ids = new Map<Topic, number>();
  const codec = createRegistryCodec({ url: stack.registryUrl, topicPrefix: prefix });
  await codec.register(TOPICS);
  const kafka = kafkaOf(stack);
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: TOPICS.map((t) => ({ topic: prefix + t, numPartitions: 1, replicationFactor: 1 })),
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  for (const topic of TOPICS) {
    const values = Array.from({ length: PER_TOPIC }, (_, i) => valueOf(topic, i));
    sent.set(topic, values);
    ids.set(topic, codec.schemaId(topic));
    await producer.send({
      topic: prefix + topic,
      messages: values.map((v) => ({ value: codec.encode(topic, v as never) })),
    });
  }
  await producer.disconnect();
  await admin.setOffsets({
    groupId: group,
    topic: `${prefix}job-status`,
    partitions: [{ partition: 0, offset: String(COMMITTED) }],
  });
  await admin.disconnect();
  return { sent, ids };
}

async function registerFresh(): Promise<number> {
  const response = await request(
    `${stack.registryUrl}/subjects/${encodeURIComponent(subjectOf('fresh', prefix))}/versions`,
    {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({
        schema: JSON.stringify({ type: 'record', name: 'Fresh', fields: [{ name: 'a', type: 'int' }] }),
      }),
    },
  );
  assert.equal(response.statusCode, 200);
  return ((await response.body.json()) as { id: number }).id;
}

test(
  'stack:down then stack:up keeps every record, the committed offsets and the schema ids',
  { timeout: 300_000 },
  async (t) => {
    const written = await writeRecords();

    const t0 = performance.now();
    await stack.stack('down');
    const t1 = performance.now();
    await stack.stack('up');
    const t2 = performance.now();

    // A codec with an empty cache, as in a process started after the restart.
    const codec = createRegistryCodec({ url: stack.registryUrl, topicPrefix: prefix });
    const kafka = kafkaOf(stack);
    const admin = kafka.admin();
    await admin.connect();
    const topics = await admin.listTopics();
    for (const topic of TOPICS) assert.ok(topics.includes(prefix + topic), `${prefix + topic} is gone`);
    for (const topic of TOPICS) {
      const bytes = await readAll(kafka, prefix + topic);
      assert.equal(bytes.length, PER_TOPIC, topic);
      const decoded = await Promise.all(bytes.map((b) => codec.decode(topic, b)));
      assert.deepEqual(JSON.parse(JSON.stringify(decoded)), JSON.parse(JSON.stringify(written.sent.get(topic))), topic);
      assert.ok(
        bytes.every((b) => b.readInt32BE(1) === written.ids.get(topic)),
        `${topic}: records carry the old id`,
      );
    }
    const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [`${prefix}job-status`] });
    await admin.disconnect();
    assert.equal(offsets?.partitions[0]?.offset, String(COMMITTED));

    // The same schemas registered again keep their ids; a schema the registry never saw gets an id that no retained
    // record uses (a registry that forgot everything would hand out 1 again).
    await codec.register(TOPICS);
    for (const topic of TOPICS) assert.equal(codec.schemaId(topic), written.ids.get(topic), topic);
    const fresh = await registerFresh();
    const old = [...written.ids.values()];
    assert.ok(!old.includes(fresh), `new id ${fresh} collides with ${old.join(', ')}`);

    t.diagnostic(
      `${TOPICS.length * PER_TOPIC} records decoded after the restart with ids ${old.join(', ')}; ` +
        `offset ${COMMITTED} kept; new schema id ${fresh}; down ${Math.round(t1 - t0)} ms, up ${Math.round(t2 - t1)} ms`,
    );
  },
);
