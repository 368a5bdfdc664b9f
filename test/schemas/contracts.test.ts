import { test } from 'node:test';
import assert from 'node:assert/strict';
import avro from 'avsc';
import { INTERNAL_SCHEMA_TOPICS, SCHEMA_TOPICS, schemaOf } from '../../src/schemas/registry-files.ts';
import { readerType } from '../../src/schemas/reader-types.ts';
import { declaredMaxMessageBytes, declaredSizes, dlqOf } from '../../src/topics.ts';
import { pipelineTopics, INPUT_TOPICS } from '../../src/topology.ts';

const COMMON = ['eventId', 'requestId', 'producedAt', 'producer'];

test('every event schema starts with the common fields of DESIGN.md §2', () => {
  for (const topic of SCHEMA_TOPICS) {
    if (INTERNAL_SCHEMA_TOPICS.includes(topic)) continue;
    const fields = (schemaOf(topic) as { fields: { name: string }[] }).fields.map((f) => f.name);
    assert.deepEqual(fields.slice(0, 4), COMMON, topic);
  }
});

test('every optional field has a default, so readers on older schemas can resolve newer writers', () => {
  for (const topic of SCHEMA_TOPICS) {
    for (const field of (schemaOf(topic) as { fields: { name: string; type: unknown; default?: unknown }[] }).fields) {
      if (Array.isArray(field.type) && field.type[0] === 'null')
        assert.ok('default' in field, `${topic}.${field.name}`);
    }
  }
});

test('a schema resolves from itself and round-trips a value', () => {
  const type = readerType('job-status');
  const value = {
    eventId: 'e1',
    requestId: 'r1',
    producedAt: 1_700_000_000_000,
    producer: { stage: 'asm_discovery', version: '0.1.0' },
    stage: 'asm_discovery',
    state: 'COMPLETED',
    subject: null,
    message: 'done',
    errorCode: null,
    done: 3,
    total: 3,
    counts: { assets: 3 },
  };
  assert.deepEqual(JSON.parse(JSON.stringify(type.fromBuffer(type.toBuffer(value)))), value);
});

test('a reader with a new defaulted field reads events from the older writer (BACKWARD)', () => {
  const writer = avro.Type.forSchema(schemaOf('job-status') as avro.Schema);
  const newer = JSON.parse(JSON.stringify(schemaOf('job-status'))) as { fields: object[] };
  newer.fields.push({ name: 'attempt', type: 'int', default: 1 });
  const reader = avro.Type.forSchema(newer as avro.Schema);
  const bytes = writer.toBuffer({
    eventId: 'e',
    requestId: 'r',
    producedAt: 1,
    producer: { stage: 's', version: 'v' },
    stage: 's',
    state: 'RUNNING',
    subject: null,
    message: null,
    errorCode: null,
    done: null,
    total: null,
    counts: {},
  });
  assert.equal((reader.fromBuffer(bytes, reader.createResolver(writer)) as { attempt: number }).attempt, 1);
});

test('the topic list covers every schema, and each input topic has a dead-letter topic', () => {
  const names = pipelineTopics({ rawFindingsRetentionMs: 1 }).map((s) => s.name);
  for (const topic of SCHEMA_TOPICS) assert.ok(names.includes(topic), topic);
  for (const topic of INPUT_TOPICS) assert.ok(names.includes(dlqOf(topic)), dlqOf(topic));
  const specs = new Map(pipelineTopics({ rawFindingsRetentionMs: 123 }).map((s) => [s.name, s]));
  for (const compacted of ['assets', 'normalized-findings', 'job-status']) {
    assert.equal(specs.get(compacted)?.configs['cleanup.policy'], 'compact', compacted);
  }
  assert.equal(specs.get('raw-findings')?.configs['retention.ms'], '123');
  // a scanner's whole output is one record, and its dead letter keeps it
  for (const name of ['raw-findings', dlqOf('raw-findings')])
    assert.equal(specs.get(name)?.configs['max.message.bytes'], String(16 * 1024 * 1024), name);
  assert.equal(specs.get('normalized-findings')?.configs['max.message.bytes'], undefined);
  // what a stage warns about at start is what the topics declare, for every topic
  for (const [name, spec] of specs)
    assert.equal(
      declaredMaxMessageBytes(name),
      Number(spec.configs['max.message.bytes'] ?? Number.NaN) || undefined,
      name,
    );
  assert.deepEqual(
    [
      ...declaredSizes([
        ['raw-findings', 'p.raw-findings'],
        ['job-status', 'p.job-status'],
        [dlqOf('raw-findings'), 'p.raw-findings.dlq'],
      ]),
    ],
    [
      ['p.raw-findings', 16 * 1024 * 1024],
      ['p.raw-findings.dlq', 16 * 1024 * 1024],
    ],
  );
});
