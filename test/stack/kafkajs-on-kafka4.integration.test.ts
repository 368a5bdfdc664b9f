// Proves kafkajs 2.2.4 against the real Kafka 4.x broker of the local stack: every client feature asmvs uses.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { requireKafka } from '../../src/config/config.ts';
import { eventually } from '../helpers/eventually.ts';
import { stackConfig, uniquePrefix } from '../helpers/stack.ts';

const kafka = createKafka(requireKafka(stackConfig()), 'compat-test');
const admin = kafka.admin();
const prefix = uniquePrefix('compat');
const topic = `${prefix}events`;
const outTopic = `${prefix}out`;

before(async () => {
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic, numPartitions: 3, replicationFactor: 1, configEntries: [{ name: 'cleanup.policy', value: 'compact' }] },
      { topic: outTopic, numPartitions: 1, replicationFactor: 1 },
    ],
  });
});

after(async () => {
  await admin.deleteTopics({ topics: [topic, outTopic] }).catch(() => undefined);
  await admin.disconnect();
});

test('admin describes the created topics and their configs', async () => {
  const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
  assert.equal(metadata.topics[0]?.partitions.length, 3);
  const configs = await admin.describeConfigs({
    includeSynonyms: false,
    resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic, configNames: ['cleanup.policy'] }],
  });
  assert.equal(configs.resources[0]?.configEntries[0]?.configValue, 'compact');
  const cluster = await admin.describeCluster();
  assert.equal(cluster.brokers.length, 1);
});

test('produce, consume in a group, commit and fetch offsets', async () => {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const messages = Array.from({ length: 30 }, (_, i) => ({ key: `k${i % 5}`, value: `v${i}` }));
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();

  const groupId = `${prefix}group`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen: string[] = [];
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      eachMessage: async ({ message, partition }) => {
        seen.push(String(message.value));
        await consumer.commitOffsets([{ topic, partition, offset: String(Number(message.offset) + 1) }]);
        if (seen.length === messages.length) resolve();
      },
    });
  });
  await done;
  await consumer.disconnect();
  assert.deepEqual([...seen].sort(), messages.map((m) => m.value).sort());

  const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
  const committed = offsets[0]?.partitions.reduce((sum, p) => sum + Number(p.offset), 0);
  assert.equal(committed, messages.length);
  await admin.deleteGroups([groupId]);
});

test('a transaction with sendOffsets commits output and input offsets together', async () => {
  const groupId = `${prefix}txn-group`;
  const producer = kafka.producer({ transactionalId: `${prefix}txn`, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const transaction = await producer.transaction();
  await transaction.send({ topic: outTopic, messages: [{ key: 'a', value: 'transformed' }] });
  await transaction.sendOffsets({
    consumerGroupId: groupId,
    topics: [{ topic, partitions: [{ partition: 0, offset: '7' }] }],
  });
  await transaction.commit();
  await producer.disconnect();

  // The coordinator materialises transactional offsets after the commit markers are written; kafkajs' OffsetFetch
  // (v4) cannot ask it to wait (require_stable came in v7), so poll briefly.
  const partition0 = async () =>
    (await admin.fetchOffsets({ groupId, topics: [topic] }))[0]?.partitions.find((p) => p.partition === 0)?.offset;
  assert.equal(await eventually(partition0, (offset) => offset === '7'), '7');

  const consumer = kafka.consumer({ groupId: `${prefix}reader`, readUncommitted: false, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic: outTopic, fromBeginning: true });
  const value = await new Promise<string>((resolve) => {
    void consumer.run({ eachMessage: async ({ message }) => resolve(String(message.value)) });
  });
  await consumer.disconnect();
  assert.equal(value, 'transformed');
});
