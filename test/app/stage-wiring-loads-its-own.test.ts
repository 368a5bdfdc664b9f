// A process wires only the stages it runs, and imports only what their dependencies need: a copy of asm_scheduler
// loads no scanner, report parser, PostgreSQL or HTTP client module; vs_normalization loads the parsers and
// findings_sink the PostgreSQL client, each without the others'. Checked by the modules loaded (a loader hook).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const HOOK = fileURLToPath(new URL('../helpers/loaded-modules.mjs', import.meta.url));
const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/** The modules a fresh process loads to wire `stages` (nothing connects: PostgreSQL is opened on first use). */
function loadedToWire(stages: readonly string[]): string[] {
  const script = `
    import { createWiring } from '${SRC}wiring/wiring.ts';
    import { stageWirings } from '${SRC}app/stage-deps.ts';
    import { loadConfig } from '${SRC}config/load.ts';
    const wiring = createWiring(loadConfig({ DATABASE_URL: 'postgres://nobody@127.0.0.1:9/none' }));
    const wired = await stageWirings(wiring, ${JSON.stringify(stages)});
    if (wired.length !== ${stages.length}) throw new Error('wired ' + wired.map((s) => s.processor.name));
    await wiring.close();`;
  const r = spawnSync(process.execPath, ['--import', HOOK, '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const line = r.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  assert.ok(line, r.stderr);
  return JSON.parse(line.slice('LOADED '.length)) as string[];
}

const SCANNERS = /\/src\/scanners\/(builtin|checks|identify|nmap|external|io)\//;
const PARSERS = /\/src\/normalizers\/(formats|parse)\//;
const POSTGRES = /\/node_modules\/pg\/|\/src\/sink\//;
const HTTP_CLIENT = /\/src\/platform\/client\.ts/;
const matching = (modules: readonly string[], pattern: RegExp) => modules.filter((m) => pattern.test(m));

test('wiring asm_scheduler loads no scanner, report parser, PostgreSQL or platform client', () => {
  const modules = loadedToWire(['asm_scheduler']);
  for (const heavy of [SCANNERS, PARSERS, POSTGRES, HTTP_CLIENT]) assert.deepEqual(matching(modules, heavy), []);
});

test('wiring vs_normalization loads the report parsers, and neither the scanners nor PostgreSQL', () => {
  const modules = loadedToWire(['vs_normalization']);
  assert.ok(matching(modules, PARSERS).length > 0);
  for (const heavy of [SCANNERS, POSTGRES, HTTP_CLIENT]) assert.deepEqual(matching(modules, heavy), []);
});

test('wiring findings_sink loads the PostgreSQL client, and neither the scanners nor the report parsers', () => {
  const modules = loadedToWire(['findings_sink']);
  assert.ok(matching(modules, POSTGRES).length > 0);
  for (const heavy of [SCANNERS, PARSERS, HTTP_CLIENT]) assert.deepEqual(matching(modules, heavy), []);
});

test("wiring host_scan loads the scanners (nmap's among them, with its XML reader), not PostgreSQL", () => {
  const modules = loadedToWire(['host_scan']);
  assert.ok(matching(modules, SCANNERS).length > 0);
  assert.deepEqual(matching(modules, POSTGRES), []);
});
