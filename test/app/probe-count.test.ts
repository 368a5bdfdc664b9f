// The README's security section counts the hostile inputs each door is probed with: the count is the catalogue's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { SCANNERS } from '../../src/scanners/index.ts';
import { probeTable } from '../helpers/hostile-inputs.ts';

test("the README's probe count is the catalogue's (test/helpers/hostile-inputs.ts)", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  const table = probeTable(SCANNERS);
  assert.ok(readme.includes(table), `the README's security section should hold:\n${table}`);
});
