// mayHoldUnstorable: whether report bytes can yield a string PostgreSQL refuses (a NUL byte, a JSON escape of U+0000
// or of a surrogate), also when the escape is split across chunks at any byte; nothing else sets it off.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mayHoldUnstorable } from '../../src/normalizers/storable-text.ts';

const NONE = new Uint8Array(0);
const bytes = (s: string) => new TextEncoder().encode(s);

/** Feeds `text` cut at `at` as two chunks, the second seen with the last 5 bytes of the first as its tail. */
function split(text: string, at: number): boolean {
  const b = bytes(text);
  const first = b.subarray(0, at);
  return mayHoldUnstorable(first, NONE) || mayHoldUnstorable(b.subarray(at), first.subarray(-5));
}

test('a NUL byte, \\u0000 and surrogate escapes are seen, in one chunk or split at every byte', () => {
  for (const text of ['{"a":"x\u0000y"}', '{"a":"x\\u0000y"}', '{"a":"\\uD800"}', '{"a":"\\udfff"}']) {
    assert.equal(mayHoldUnstorable(bytes(text), NONE), true, text);
    for (let at = 1; at < text.length; at++) assert.equal(split(text, at), true, `${text} cut at ${at}`);
  }
});

test('other escapes, backslashes and text are storable as they are', () => {
  for (const text of ['{"a":"plain"}', '{"a":"C:\\\\dir \\u00e9 \\n"}', '{"a":"\\u0041\\ue000"}', '{"é":"😀"}']) {
    assert.equal(mayHoldUnstorable(bytes(text), NONE), false, text);
    for (let at = 1; at < text.length; at++) assert.equal(split(text, at), false, `${text} cut at ${at}`);
  }
  // a Uint8Array that is not a Buffer is read the same way
  assert.equal(mayHoldUnstorable(new Uint8Array(bytes('"\\u0000"')), NONE), true);
});
