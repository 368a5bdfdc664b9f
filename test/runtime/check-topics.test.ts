import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingTopics } from '../../src/runtime/kafka/check-topics.ts';

test('the topics a stage needs that the cluster lacks, each once, in the order needed', () => {
  assert.deepEqual(missingTopics(['a.in', 'a.out', 'a.in.dlq', 'a.out'], ['a.in', 'other']), ['a.out', 'a.in.dlq']);
  assert.deepEqual(missingTopics(['a.in'], ['a.in']), []);
});
