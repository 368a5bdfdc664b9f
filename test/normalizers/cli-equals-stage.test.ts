// One normalization path: `asmvs normalize <report> --json` prints exactly the findings vs_normalization emits for the
// same report, for every fixture report — the same distinct findings in the same order, with the same counts, ids,
// CVSS, descriptions and packages. Only what belongs to the event differs (event and request ids, provenance, the
// asset key of a report imported without one, the time); those are set equal before comparing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { normalizeRaw } from '../../src/normalizers/index.ts';
import { vsNormalization } from '../../src/processors/vs-normalization.ts';
import { createLocalRunner } from '../../src/runtime/local/local-runner.ts';
import type { Finding } from '../../src/schemas/types.gen.ts';
import { runCli } from '../helpers/cli.ts';
import { runtimeSettings, silent } from '../helpers/runtime-settings.ts';
import { FIXTURES, NOW, fixture, rawOf } from './raw.ts';

const REPORTS = readdirSync(FIXTURES).filter((f) => f !== 'README.md' && !f.endsWith('.expected.json'));

/** What the CLI and the stage must agree on: everything but the event's own fields. */
function content(f: Finding): unknown {
  const { eventId: _e, requestId: _r, producedAt: _p, provenance: _pv, firstSeen: _f, lastSeen: _l, ...rest } = f;
  // the local runner hands over Avro records (class instances): compare the plain JSON both print
  return JSON.parse(JSON.stringify({ ...rest, asset: { ...rest.asset, assetId: null } })) as unknown;
}

async function stageFindings(name: string): Promise<Finding[]> {
  const runner = createLocalRunner({
    stages: [{ processor: vsNormalization, deps: { normalize: normalizeRaw, now: () => NOW } }],
    runtime: runtimeSettings(),
    logger: silent,
  });
  runner.publish('raw-findings', 'asset-1', rawOf(fixture(name), { target: name }));
  await runner.idle();
  return runner.collected('normalized-findings').map((r) => r.value as Finding);
}

async function cliFindings(name: string): Promise<Finding[]> {
  const r = await runCli(['normalize', fileURLToPath(new URL(name, FIXTURES)), '--json'], {}, 60_000);
  assert.equal(r.code, 0, `${name}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Finding[];
}

test(`the CLI prints what the stage emits, for each of the ${REPORTS.length} fixture reports`, async () => {
  assert.ok(REPORTS.length >= 13);
  // three CLI processes at a time
  const queue = [...REPORTS];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const [cli, stage] = await Promise.all([cliFindings(name), stageFindings(name)]);
      assert.ok(stage.length > 0 || name.includes('empty'), `${name}: the stage found nothing`);
      assert.deepEqual(cli.map(content), stage.map(content), name);
    }
  };
  await Promise.all([worker(), worker(), worker()]);
});
