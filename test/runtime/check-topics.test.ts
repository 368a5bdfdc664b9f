import { test } from 'node:test';
import assert from 'node:assert/strict';
import { messageLimits, missingTopics } from '../../src/runtime/kafka/check-topics.ts';

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
