import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AsmvsError } from '../../src/errors.ts';
import {
  DEAD_LETTER_HEADERS,
  deadLetterHeaders,
  headersAsStrings,
  MAX_ERROR_MESSAGE_CHARS,
} from '../../src/runtime/dead-letter.ts';
import { eventSpan } from '../../src/observability/tracing.ts';

const facts = {
  stage: 'vs_normalization',
  error: new AsmvsError('DECODE_NO_MAGIC_BYTE', 'bad bytes'),
  attempts: 1,
  sourceTopic: 'p.raw-findings',
  sourcePartition: 3,
  sourceOffset: '42',
  at: new Date('2025-01-02T03:04:05.000Z'),
};

test('keeps the original headers and adds stage, code, message, attempts, source and time', () => {
  const h = deadLetterHeaders({ traceparent: 'tp', 'x-custom': Buffer.from('v') }, facts);
  assert.equal(h['traceparent'], 'tp');
  assert.deepEqual(h['x-custom'], Buffer.from('v'));
  for (const name of DEAD_LETTER_HEADERS) assert.ok(h[name] !== undefined, name);
  assert.deepEqual(headersAsStrings(h), {
    traceparent: 'tp',
    'x-custom': 'v',
    'asmvs-stage': 'vs_normalization',
    'asmvs-error-code': 'DECODE_NO_MAGIC_BYTE',
    'asmvs-error-message': 'bad bytes',
    'asmvs-attempts': '1',
    'asmvs-source-topic': 'p.raw-findings',
    'asmvs-source-partition': '3',
    'asmvs-source-offset': '42',
    'asmvs-dead-lettered-at': '2025-01-02T03:04:05.000Z',
  });
});

test('a replayed dead letter says why it failed this time, and long messages are cut', () => {
  const h = deadLetterHeaders(
    { 'asmvs-error-code': 'OLD' },
    { ...facts, error: new AsmvsError('HANDLER_FAILED', 'x'.repeat(5_000)) },
  );
  assert.equal(h['asmvs-error-code'], 'HANDLER_FAILED');
  assert.equal(String(h['asmvs-error-message']).length, MAX_ERROR_MESSAGE_CHARS + 1);
});

test("traceparent of an event's outputs: same trace, new span; malformed dropped", () => {
  const where = { topic: 'raw-findings', partition: 0, offset: '7' };
  const childOf = (parent: string | undefined) => eventSpan('vs_normalization', parent, where).traceparent;
  const parent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  const child = childOf(parent) as string;
  assert.match(child, /^00-4bf92f3577b34da6a3ce929d0e0e4736-[0-9a-f]{16}-01$/);
  assert.notEqual(child, parent);
  assert.equal(childOf('garbage'), undefined);
  assert.equal(childOf(undefined), undefined);
  assert.equal(childOf('00-00000000000000000000000000000000-00f067aa0ba902b7-01'), undefined);
});

test('record headers as strings: the first of repeated values, undefined ones left out, none shared and frozen', () => {
  assert.deepEqual(headersAsStrings({ a: Buffer.from('x'), b: [Buffer.from('y'), Buffer.from('z')], c: undefined }), {
    a: 'x',
    b: 'y',
  });
  const none = headersAsStrings({});
  assert.deepEqual(none, {});
  assert.equal(headersAsStrings(undefined), none, 'records without headers share one object');
  assert.ok(Object.isFrozen(none), 'so that no reader can change what the others see');
});
