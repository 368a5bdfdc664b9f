// The names the CLI offers before loading anything (src/app/names.ts) are the ones the code defines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEAD_LETTER_TOPICS, INPUT_TOPICS, PROFILES, SEVERITIES, STAGE_NAMES } from '../../src/app/names.ts';
import { PROFILES as ENGINE_PROFILES } from '../../src/engines/profiles.ts';
import { INPUT_TOPICS as TOPOLOGY_INPUTS, STAGE_NAMES as TOPOLOGY_STAGES } from '../../src/topology.ts';
import { dlqOf } from '../../src/topics.ts';

test('stages, input topics and dead-letter topics are the topology’s', () => {
  assert.deepEqual([...STAGE_NAMES], [...TOPOLOGY_STAGES]);
  assert.deepEqual([...INPUT_TOPICS], [...TOPOLOGY_INPUTS]);
  assert.deepEqual(DEAD_LETTER_TOPICS, TOPOLOGY_INPUTS.map(dlqOf));
});

test('profiles are the engines’ and severities are ordered as severityId counts them', () => {
  assert.deepEqual(PROFILES, ENGINE_PROFILES);
  assert.deepEqual(SEVERITIES, ['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL']);
});
