// docs/architecture.md's stage table is the topology's (what `asmvs describe` prints): run scripts/gen-docs.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { renderStageTable, withStageTable } from '../../src/topology-doc.ts';
import { describeTopology, STAGES } from '../../src/topology.ts';

test('the architecture page holds the stage table the topology renders', () => {
  const doc = readFileSync(new URL('../../docs/architecture.md', import.meta.url), 'utf8');
  assert.equal(doc, withStageTable(doc));
});

test('the table and `asmvs describe` name the same stages, inputs and outputs', () => {
  const table = renderStageTable();
  const described = describeTopology();
  for (const s of STAGES) {
    assert.match(table, new RegExp(`\\| \`${s.name}\` \\| \`${s.input}\``));
    assert.match(described, new RegExp(`^${s.name}`, 'm'));
    for (const out of s.outputs) assert.ok(described.includes(out) && table.includes(`\`${out}\``), out);
  }
});
