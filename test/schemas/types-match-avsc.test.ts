import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderTypes } from '../../src/schemas/avro-to-ts.ts';
import { SCHEMA_TOPICS, schemaOf } from '../../src/schemas/registry-files.ts';

test('types.gen.ts is exactly what the .avsc files generate (run scripts/gen-types.ts after editing a schema)', () => {
  const committed = readFileSync(new URL('../../src/schemas/types.gen.ts', import.meta.url), 'utf8');
  const fresh = renderTypes(SCHEMA_TOPICS.map((topic) => ({ topic, schema: schemaOf(topic) as never })));
  assert.equal(committed, fresh);
});

test('the generator refuses two different definitions of one named type', () => {
  const a = { type: 'record', name: 'X', fields: [{ name: 'a', type: 'int' }] };
  const b = { type: 'record', name: 'X', fields: [{ name: 'b', type: 'string' }] };
  assert.throws(
    () =>
      renderTypes([
        { topic: 'a', schema: a },
        { topic: 'b', schema: b },
      ]),
    /defined twice/,
  );
});
