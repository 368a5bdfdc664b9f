import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWireHeader } from '../../src/schemas/wire.ts';
import { AsmvsError } from '../../src/errors.ts';

const isCode = (code: string) => (error: unknown) =>
  error instanceof AsmvsError && error.code === code && !error.retryable;

test('reads the schema id after the magic byte', () => {
  const bytes = Buffer.from([0, 0, 0, 1, 2, 0xaa, 0xbb]);
  const { schemaId, body } = parseWireHeader(bytes);
  assert.equal(schemaId, 258);
  assert.deepEqual([...body], [0xaa, 0xbb]);
});

test('bytes without the magic byte are a typed, non-retryable error', () => {
  assert.throws(() => parseWireHeader(Buffer.from('{"json":"instead of avro"}')), isCode('DECODE_NO_MAGIC_BYTE'));
});

test('too few bytes for a header, or no bytes at all, are a typed error', () => {
  assert.throws(() => parseWireHeader(Buffer.from([0, 0, 1])), isCode('DECODE_NO_MAGIC_BYTE'));
  assert.throws(() => parseWireHeader(null), isCode('DECODE_NO_MAGIC_BYTE'));
});
