// Rewrites the generated sections of the docs: README.md's configuration table (src/config/schema.ts) and
// docs/architecture.md's stage table (src/topology.ts). Run: node scripts/gen-docs.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { withConfigTable } from '../src/config/docs.ts';
import { withStageTable } from '../src/topology-doc.ts';

const rewrite = (file: string, render: (text: string) => string) => {
  const path = new URL(`../${file}`, import.meta.url);
  writeFileSync(path, render(readFileSync(path, 'utf8')));
  console.log(`${file} updated`);
};
rewrite('README.md', withConfigTable);
rewrite('docs/architecture.md', withStageTable);
