// The production build: node scripts/build.ts [outDir=dist]
// Node 24 runs the TypeScript sources directly, which is what development and the tests do. A long-running stage
// process pays for that: type stripping keeps a WebAssembly compiler and every module's source in memory, about
// 34 MB of RSS per process (bench/runtime/timers-reload.ts measures both). The build emits plain JavaScript with
// the same layout (tsc, imports rewritten from .ts to .js) and copies the files the code reads at run time: the Avro
// schemas, the SQL migrations and package.json (for the version). docker-compose.yml runs the stages from it.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = resolve(root, process.argv[2] ?? 'dist');
rmSync(out, { recursive: true, force: true });
execFileSync(
  process.execPath,
  [resolve(root, 'node_modules/typescript/bin/tsc'), '-p', resolve(root, 'tsconfig.build.json'), '--outDir', out],
  { stdio: 'inherit' },
);
const assets = (from: string, suffix: string) =>
  cpSync(resolve(root, from), resolve(out, from), {
    recursive: true,
    filter: (p) => p.endsWith(suffix) || statSync(p).isDirectory(),
  });
assets('src/schemas', '.avsc');
assets('src/sink/migrations', '.sql');
mkdirSync(out, { recursive: true });
cpSync(resolve(root, 'package.json'), resolve(out, 'package.json'));
// On stderr: `npm pack --json` runs this (prepack) and its stdout must stay JSON.
process.stderr.write(`built ${out}\n`);
