// What a terminal is shown of scanner text: controls, line separators and bidi/invisible formatting characters as
// escapes (U+202E would make a line read backwards; U+2028 starts a new line in some terminals and parsers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeForTerminal } from '../../src/cli/escape.ts';
import { renderTable } from '../../src/cli/table.ts';

test('ANSI escapes and CR/LF from a hostile banner are shown as data', () => {
  assert.equal(escapeForTerminal('SSH-2.0\r\n\u001b[2Jowned'), 'SSH-2.0\\x0d\\x0a\\x1b[2Jowned');
});

test('bidi overrides, isolates, marks, zero-width characters and line/paragraph separators are escaped', () => {
  assert.equal(escapeForTerminal('admin\u202etxt.exe'), 'admin\\u202etxt.exe');
  assert.equal(escapeForTerminal('a\u2028b\u2029c'), 'a\\u2028b\\u2029c');
  assert.equal(
    escapeForTerminal('\u2066x\u2069\u200ey\u200bz\ufeff\u061c\u0085'),
    '\\u2066x\\u2069\\u200ey\\u200bz\\ufeff\\u061c\\x85',
  );
  assert.equal(escapeForTerminal('naïve 日本語 ok'), 'naïve 日本語 ok', 'ordinary text is untouched');
});

test('tables pad columns and escape every cell', () => {
  const out = renderTable(['a', 'bb'], [['x\n', 'y']]);
  assert.equal(out, 'a      bb\n-----  --\nx\\x0a  y\n');
  assert.equal(renderTable(['h'], [['\u202eabc']]), 'h\n---------\n\\u202eabc\n');
});
