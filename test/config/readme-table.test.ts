import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderConfigTable, withConfigTable } from '../../src/config/docs.ts';
import { settingsSchema } from '../../src/config/schema.ts';

test("the README's configuration table is the one the schema renders (run scripts/gen-docs.ts)", () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  assert.equal(readme, withConfigTable(readme));
});

test('every setting has a row with a description', () => {
  const table = renderConfigTable();
  for (const name of Object.keys(settingsSchema.shape))
    assert.match(table, new RegExp(`\\| \`${name}\` \\|[^\\n]*\\| \\S`));
});
