// scan-results gained `coverage` (issue 12): a BACKWARD-compatible change. Summaries written before it decode with
// the new reader as coverage null, which findings_resolver reads as "the asset and scanner whole", as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import avro from 'avsc';
import { schemaOf } from '../../src/schemas/registry-files.ts';
import { readerType } from '../../src/schemas/reader-types.ts';

test('a summary from a writer without coverage decodes with coverage null', () => {
  const current = schemaOf('scan-results') as { fields: { name: string }[] };
  const older = { ...current, fields: current.fields.filter((f) => f.name !== 'coverage') };
  const writer = avro.Type.forSchema(older as avro.Schema);
  const reader = readerType('scan-results');
  const bytes = writer.toBuffer({
    eventId: 'e',
    requestId: 'r',
    producedAt: 1,
    producer: { stage: 'vs_normalization', version: '0.1.0' },
    scanId: 's',
    assetKey: 'a',
    scanner: 'asmvs-checks',
    finishedAt: 2,
    complete: true,
    findingCount: 3,
    part: 0,
    parts: 1,
  });
  const decoded = reader.fromBuffer(bytes, reader.createResolver(writer)) as {
    coverage: unknown;
    findingCount: number;
  };
  assert.equal(decoded.coverage, null);
  assert.equal(decoded.findingCount, 3);
});
