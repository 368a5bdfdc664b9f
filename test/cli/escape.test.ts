import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeForTerminal } from '../../src/cli/escape.ts';
import { renderTable } from '../../src/cli/table.ts';

test('ANSI escapes and CR/LF from a hostile banner are shown as data', () => {
  assert.equal(escapeForTerminal('SSH-2.0\r\n\u001b[2Jowned'), 'SSH-2.0\\x0d\\x0a\\x1b[2Jowned');
});

test('tables pad columns and escape every cell', () => {
  const out = renderTable(['a', 'bb'], [['x\n', 'y']]);
  assert.equal(out, 'a      bb\n-----  --\nx\\x0a  y\n');
});
