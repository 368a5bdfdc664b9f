// Regenerates src/schemas/types.gen.ts from the .avsc files: node scripts/gen-types.ts
import { writeFileSync } from 'node:fs';
import { renderTypes } from '../src/schemas/avro-to-ts.ts';
import { SCHEMA_TOPICS, schemaOf } from '../src/schemas/registry-files.ts';

const out = new URL('../src/schemas/types.gen.ts', import.meta.url);
writeFileSync(out, renderTypes(SCHEMA_TOPICS.map((topic) => ({ topic, schema: schemaOf(topic) as never }))));
console.log(`wrote ${out.pathname}`);
