import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WIRE_HEADER_BYTES, wireSchemaId } from '../../src/schemas/wire.ts';
import { AsmvsError } from '../../src/errors.ts';

const isCode = (code: string) => (error: unknown) =>
  error instanceof AsmvsError && error.code === code && !error.retryable;

test('reads the schema id after the magic byte', () => {
  const bytes = Buffer.from([0, 0, 0, 1, 2, 0xaa, 0xbb]);
  assert.equal(wireSchemaId(bytes), 258);
  assert.deepEqual([...bytes.subarray(WIRE_HEADER_BYTES)], [0xaa, 0xbb], 'the body starts after the header');
});

test('bytes without the magic byte are a typed, non-retryable error', () => {
  assert.throws(() => wireSchemaId(Buffer.from('{"json":"instead of avro"}')), isCode('DECODE_NO_MAGIC_BYTE'));
});

test('too few bytes for a header, or no bytes at all, are a typed error', () => {
  assert.throws(() => wireSchemaId(Buffer.from([0, 0, 1])), isCode('DECODE_NO_MAGIC_BYTE'));
  assert.throws(() => wireSchemaId(null), isCode('DECODE_NO_MAGIC_BYTE'));
});
