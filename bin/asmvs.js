#!/usr/bin/env -S node --disable-warning=TimeoutNegativeWarning
// The installed entry point. From a clone it runs the TypeScript sources (Node 24 strips the types); the published
// package ships no sources but the build (dist/, made by `npm run build`, on `npm pack` too), because Node refuses
// to strip types under node_modules. dist/bin/asmvs.js is this file compiled, and finds dist/src beside it.
// TimeoutNegativeWarning: kafkajs 2.2.4 computes a negative delay that Node 24 clamps to 1 ms and warns about
// (tulios/kafkajs#1751); the behaviour is unchanged, the warning is noise. patches/kafkajs+2.2.4.patch removes the
// one such timer found (the request queue's); the flag stays for any other.
import { existsSync } from 'node:fs';
import { applyMemoryDefaults } from './memory-defaults.js';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `asmvs: Node.js 24 or newer is required (this is ${process.version}); run it through npm or npx so that the project's node is used\n`,
  );
  process.exit(2);
}
// The long-running commands keep their memory bounded by default (memory-defaults.js).
if (['run', 'replay'].includes(process.argv[2] ?? '')) applyMemoryDefaults();

const entry = ['../src/cli/main.ts', '../src/cli/main.js', '../dist/src/cli/main.js']
  .map((path) => new URL(path, import.meta.url))
  .find((url) => existsSync(url));
if (!entry) {
  process.stderr.write('asmvs: neither the sources (src/) nor the build (dist/) are here; run `npm run build`\n');
  process.exit(2);
}
await import(entry.href);
