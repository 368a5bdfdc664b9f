import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alteredConfigs, raisesOf, type DescribedEntry } from '../../src/runtime/kafka/topic-config-raises.ts';

const declared = { 'cleanup.policy': 'delete', 'retention.ms': '604800000', 'max.message.bytes': '16777216' };

test('a floor below its declared value is raised; one at or above it is kept; other configs are never raised', () => {
  const current = { 'cleanup.policy': 'compact', 'retention.ms': '1000' };
  assert.deepEqual(raisesOf(declared, { ...current, 'max.message.bytes': '1048588' }), [
    { name: 'max.message.bytes', from: '1048588', to: '16777216' },
  ]);
  assert.deepEqual(raisesOf(declared, { ...current, 'max.message.bytes': '16777216' }), []);
  assert.deepEqual(raisesOf(declared, { ...current, 'max.message.bytes': '33554432' }), []);
  // a topic that declares no floor keeps whatever it has
  assert.deepEqual(raisesOf({ 'cleanup.policy': 'delete' }, { 'max.message.bytes': '10' }), []);
});

test('a floor the broker did not describe, or described as no number, is set to its declared value', () => {
  assert.deepEqual(raisesOf(declared, {}), [{ name: 'max.message.bytes', from: '', to: '16777216' }]);
  assert.deepEqual(raisesOf(declared, { 'max.message.bytes': 'lots' }), [
    { name: 'max.message.bytes', from: 'lots', to: '16777216' },
  ]);
});

const entry = (configName: string, configValue: string | null, configSource: number, isSensitive = false) =>
  ({ configName, configValue, configSource, isSensitive }) satisfies DescribedEntry;

test("the altered set keeps every value set on the topic and replaces the raised one's; defaults are not sent", () => {
  const described = [
    entry('cleanup.policy', 'delete', 1),
    entry('retention.ms', '3600000', 1),
    entry('max.message.bytes', '2000000', 1),
    entry('segment.bytes', '1073741824', 5), // the built-in default
    entry('min.insync.replicas', '1', 4), // the broker's static config
  ];
  assert.deepEqual(alteredConfigs(described, [{ name: 'max.message.bytes', from: '2000000', to: '16777216' }]), [
    { name: 'cleanup.policy', value: 'delete' },
    { name: 'retention.ms', value: '3600000' },
    { name: 'max.message.bytes', value: '16777216' },
  ]);
  // the floor at its default before: added to the topic's own values
  assert.deepEqual(
    alteredConfigs(
      [entry('retention.ms', '1', 1), entry('max.message.bytes', '1048588', 5)],
      [{ name: 'max.message.bytes', from: '1048588', to: '16777216' }],
    ),
    [
      { name: 'retention.ms', value: '1' },
      { name: 'max.message.bytes', value: '16777216' },
    ],
  );
});

test('a value set on the topic that cannot be read back (sensitive) refuses the alteration: it would be lost', () => {
  const why = alteredConfigs(
    [entry('cleanup.policy', 'delete', 1), entry('some.secret', null, 1, true)],
    [{ name: 'max.message.bytes', from: '1048588', to: '16777216' }],
  );
  assert.equal(typeof why, 'string');
  assert.match(why as string, /some\.secret/);
});
