// Rewrites the configuration table in README.md from src/config/schema.ts: node scripts/gen-config-doc.ts
import { readFileSync, writeFileSync } from 'node:fs';
import { withConfigTable } from '../src/config/docs.ts';

const path = new URL('../README.md', import.meta.url);
writeFileSync(path, withConfigTable(readFileSync(path, 'utf8')));
console.log('README.md configuration table updated');
