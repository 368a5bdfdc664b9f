#!/usr/bin/env -S node --disable-warning=TimeoutNegativeWarning
// The installed entry point. Node 24 runs the TypeScript sources directly (type stripping); `npm run build` emits
// the same tree as JavaScript in dist/ (this file included, importing main.js) for long-running stages.
// TimeoutNegativeWarning: kafkajs 2.2.4 computes a negative delay that Node 24 clamps to 1 ms and warns about
// (tulios/kafkajs#1751); the behaviour is unchanged, the warning is noise.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `asmvs: Node.js 24 or newer is required (this is ${process.version}); run it through npm or npx so that the project's node is used\n`,
  );
  process.exit(2);
}
await import('../src/cli/main.ts');
