// Every value schema stays BACKWARD-compatible with the last release's (test/fixtures/schemas/0.1.0, copied from
// the release): a stage upgraded first still reads what not-yet-upgraded producers write, and replays of old
// records decode. A change that breaks this needs a new topic, not an edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import avro from 'avsc';
import { SCHEMA_TOPICS, schemaOf } from '../../src/schemas/registry-files.ts';

const dir = new URL('../fixtures/schemas/0.1.0/', import.meta.url);
const released = readdirSync(dir).filter((f) => f.endsWith('.avsc'));

test('the release has schemas to compare with', () => {
  assert.ok(released.length >= 10);
});

for (const file of released) {
  const topic = file.replace(/\.avsc$/, '');
  test(`${topic}: the current schema reads what the release wrote`, () => {
    assert.ok((SCHEMA_TOPICS as readonly string[]).includes(topic), `${topic} is still a topic`);
    const writer = avro.Type.forSchema(JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as avro.Schema);
    const reader = avro.Type.forSchema(schemaOf(topic as (typeof SCHEMA_TOPICS)[number]) as avro.Schema);
    assert.doesNotThrow(() => reader.createResolver(writer));
    const sample = writer.random();
    const decoded = reader.fromBuffer(writer.toBuffer(sample), reader.createResolver(writer));
    assert.ok(decoded, 'a random value of the release decodes');
  });
}
