#!/usr/bin/env node
// The installed entry point. Node 24 runs the TypeScript sources directly (type stripping), so there is no build.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`asmvs: Node.js 24 or newer is required (this is ${process.version}); run it through npm or npx so that the project's node is used\n`);
  process.exit(2);
}
await import('../src/cli/main.ts');
