// provisionTopics on an existing topic below a floor, against a fake admin: the refusals a local broker cannot be
// made to give (ACLs, policies). The raise itself is tested on the real broker (topics-create.integration.test.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { provisionTopics } from '../../src/runtime/kafka/provision-topics.ts';
import type { Kafka } from '../../src/runtime/kafka/client.ts';
import type { TopicSpec } from '../../src/topics.ts';
import { AsmvsError } from '../../src/errors.ts';

const spec: TopicSpec = {
  name: 'raw-findings',
  schema: 'raw-findings',
  key: 'asset id',
  configs: { 'cleanup.policy': 'delete', 'max.message.bytes': '16777216' },
};
const entry = (configName: string, configValue: string, configSource: number) => ({
  configName,
  configValue,
  configSource,
  isSensitive: false,
});

function kafkaWith(alterConfigs: (request: unknown) => Promise<unknown>) {
  const altered: unknown[] = [];
  const kafka = {
    admin: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      listTopics: async () => ['p.raw-findings'],
      createTopics: async () => assert.fail('the topic exists: nothing to create'),
      fetchTopicMetadata: async () => ({ topics: [{ name: 'p.raw-findings', partitions: [{}, {}] }] }),
      describeConfigs: async () => ({
        resources: [
          {
            resourceName: 'p.raw-findings',
            configEntries: [entry('cleanup.policy', 'delete', 1), entry('max.message.bytes', '1048588', 5)],
          },
        ],
      }),
      alterConfigs: async (request: unknown) => {
        altered.push(request);
        return alterConfigs(request);
      },
    }),
  } as unknown as Kafka;
  return { kafka, altered };
}

const options = { prefix: 'p.', partitions: 2, replicationFactor: 1 };

test("a floor raised: the topic's own values sent with it, the raise reported", async () => {
  const { kafka, altered } = kafkaWith(async () => ({ resources: [] }));
  const [state] = await provisionTopics(kafka, [spec], options);
  assert.deepEqual(state?.raised, [{ name: 'max.message.bytes', from: '1048588', to: '16777216' }]);
  assert.equal(state?.configs['max.message.bytes'], '16777216');
  assert.equal(state?.notRaised, undefined);
  assert.deepEqual(altered, [
    {
      validateOnly: false,
      resources: [
        {
          type: 2,
          name: 'p.raw-findings',
          configEntries: [
            { name: 'cleanup.policy', value: 'delete' },
            { name: 'max.message.bytes', value: '16777216' },
          ],
        },
      ],
    },
  ]);
});

test('a broker that refuses the raise leaves the topic as it was and says why; one that does not answer throws', async () => {
  const refused = Object.assign(new Error('Cluster authorization failed'), {
    type: 'CLUSTER_AUTHORIZATION_FAILED',
    retriable: false,
  });
  const [state] = await provisionTopics(kafkaWith(() => Promise.reject(refused)).kafka, [spec], options);
  assert.deepEqual(state?.raised, []);
  assert.equal(state?.configs['max.message.bytes'], '1048588');
  assert.equal(state?.notRaised, 'max.message.bytes not raised: the broker refused: Cluster authorization failed');
  const unanswered = Object.assign(new Error('Connection timeout'), { name: 'KafkaJSNumberOfRetriesExceeded' });
  await assert.rejects(
    provisionTopics(kafkaWith(() => Promise.reject(unanswered)).kafka, [spec], options),
    (error: unknown) => error instanceof AsmvsError && error.code === 'KAFKA_UNAVAILABLE',
  );
});
