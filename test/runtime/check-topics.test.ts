import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTopics, messageLimits, missingTopics, undersizedTopics } from '../../src/runtime/kafka/check-topics.ts';
import type { Kafka } from '../../src/runtime/kafka/client.ts';
import type { Logger } from '../../src/processor.ts';
import { silent } from '../helpers/runtime-settings.ts';

test('the topics a stage needs that the cluster lacks, each once, in the order needed', () => {
  assert.deepEqual(missingTopics(['a.in', 'a.out', 'a.in.dlq', 'a.out'], ['a.in', 'other']), ['a.out', 'a.in.dlq']);
  assert.deepEqual(missingTopics(['a.in'], ['a.in']), []);
});

test("each topic's max.message.bytes as described; a value that is not a size is left out", () => {
  const entry = (configValue: string) => [{ configName: 'max.message.bytes', configValue }];
  const limits = messageLimits([
    { resourceName: 'a', configEntries: entry('1048588') },
    { resourceName: 'b', configEntries: entry('8388608') },
    { resourceName: 'c', configEntries: entry('-1') },
    { resourceName: 'd', configEntries: [] },
  ]);
  assert.deepEqual(
    [...limits],
    [
      ['a', 1_048_588],
      ['b', 8_388_608],
    ],
  );
});

test('the limits of the written topics: described, the default where not, and a broker that did not answer throws', async () => {
  const kafkaWith = (describeConfigs: () => Promise<unknown>) =>
    ({
      admin: () => ({
        connect: async () => undefined,
        disconnect: async () => undefined,
        listTopics: async () => ['in', 'out', 'out.dlq'],
        describeConfigs,
      }),
    }) as unknown as Kafka;
  const warnings: string[] = [];
  const log = { ...silent, warn: (_o: unknown, message: string) => void warnings.push(message) } as Logger;
  const described = await checkTopics(
    kafkaWith(async () => ({
      resources: [
        { resourceName: 'out', configEntries: [{ configName: 'max.message.bytes', configValue: '16777216' }] },
      ],
    })),
    ['in', 'out', 'out.dlq'],
    ['out', 'out.dlq'],
    log,
  );
  assert.deepEqual(
    [...described],
    [
      ['out', 16_777_216],
      ['out.dlq', 1_048_588],
    ],
  );
  const refused = Object.assign(new Error('Not authorized to access topics'), {
    name: 'KafkaJSProtocolError',
    type: 'TOPIC_AUTHORIZATION_FAILED',
    retriable: false,
  });
  const defaults = await checkTopics(
    kafkaWith(async () => Promise.reject(refused)),
    ['out'],
    ['out'],
    log,
  );
  assert.deepEqual([...defaults], [['out', 1_048_588]]);
  assert.equal(warnings.length, 1);
  const unanswered = Object.assign(new Error('Connection timeout'), {
    name: 'KafkaJSConnectionError',
    retriable: true,
  });
  await assert.rejects(
    checkTopics(
      kafkaWith(async () => Promise.reject(unanswered)),
      ['out'],
      ['out'],
      log,
    ),
    /Connection timeout/,
  );
});

test('a written topic that takes less than asmvs declares for it is named, with both sizes', () => {
  const limits = new Map([
    ['p.raw-findings', 1_048_588],
    ['p.raw-findings.dlq', 33_554_432],
    ['p.job-status', 1_048_588],
  ]);
  const declared = new Map([
    ['p.raw-findings', 16_777_216],
    ['p.raw-findings.dlq', 16_777_216],
  ]);
  assert.deepEqual(undersizedTopics(limits, declared), [
    { topic: 'p.raw-findings', takes: 1_048_588, declared: 16_777_216 },
  ]);
  assert.deepEqual(undersizedTopics(limits, new Map()), []);
});

test('checkTopics warns at start about a written topic below its declared size', async () => {
  const warnings: string[] = [];
  const log = { ...silent, warn: (_o: unknown, message: string) => void warnings.push(message) } as Logger;
  const kafka = {
    admin: () => ({
      connect: async () => undefined,
      disconnect: async () => undefined,
      listTopics: async () => ['in', 'raw'],
      describeConfigs: async () => ({
        resources: [
          { resourceName: 'raw', configEntries: [{ configName: 'max.message.bytes', configValue: '1048588' }] },
        ],
      }),
    }),
  } as unknown as Kafka;
  await checkTopics(kafka, ['in', 'raw'], ['raw'], log, new Map([['raw', 16_777_216]]));
  assert.equal(warnings.length, 1);
  assert.match(
    warnings[0] ?? '',
    /raw takes records of 1048588 bytes at most, not the 16777216 .*OUTPUT_TOO_LARGE.*topics create/,
  );
  warnings.length = 0;
  await checkTopics(kafka, ['in', 'raw'], ['raw'], log);
  assert.deepEqual(warnings, []);
});
