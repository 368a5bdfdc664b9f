// parseableWhole decides whether a JSON report may be built whole with JSON.parse: it counts values from above and
// refuses nesting past the cap, reading the decoded text (brackets inside strings, escapes and non-ASCII included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseableWhole } from '../../../src/normalizers/parse/json-tree-walk.ts';

test('a document with more values than the cap streams instead; one at the cap is parsed whole', () => {
  assert.equal(parseableWhole('[1,2,3]', 8, 4), true);
  assert.equal(parseableWhole('[1,2,3,4]', 8, 4), false);
  // every comma and opening bracket counts (4 values here, counted as 7: the bound errs high, never low)
  assert.equal(parseableWhole('[{},[],{}]', 8, 7), true);
  assert.equal(parseableWhole('[{},[],{}]', 8, 6), false);
  assert.equal(parseableWhole('{"a":[1,2]}', 8, 100), true);
});

test('nesting past the cap is refused, wherever its brackets are counted from', () => {
  const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
  assert.equal(parseableWhole(deep(4), 4), true);
  assert.throws(() => parseableWhole(deep(5), 4), { code: 'REPORT_UNSAFE' });
  // more brackets than the cap, none of them deep: the scan decides that it is fine
  assert.equal(parseableWhole(`[${Array.from({ length: 10 }, () => '[]').join(',')}]`, 4), true);
  // the same when values are counted too (a text as long as the value cap)
  assert.throws(() => parseableWhole(deep(5), 4, 10), { code: 'REPORT_UNSAFE' });
});

test('brackets inside strings, after escaped quotes or next to non-ASCII text are not nesting', () => {
  const inString = `{"a":"${'['.repeat(50)}","b":"\\"${'{'.repeat(50)}","c":"é€😀${'['.repeat(50)}"}`;
  assert.equal(parseableWhole(inString, 4), true);
  assert.throws(() => parseableWhole(`{"é":"\\\\",${'['.repeat(6)}${']'.repeat(6)}}`, 4), { code: 'REPORT_UNSAFE' });
});
