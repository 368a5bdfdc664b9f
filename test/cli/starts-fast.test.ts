// `asmvs --version`, `--help` and a command's --help load commander and the option definitions only — no scanner,
// no Kafka client, no runtime — and `asmvs scan` loads no Kafka, registry or metrics code: each command imports its
// implementation when it runs. Checked by the modules loaded (a loader hook), not by time.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.ts';

const HOOK = fileURLToPath(new URL('../helpers/loaded-modules.mjs', import.meta.url));
const BIN = fileURLToPath(new URL('../../bin/asmvs.js', import.meta.url));

async function loadedBy(args: string[]): Promise<{ code: number | null; modules: string[] }> {
  // node --import <hook> bin/asmvs.js <args>: runCli puts its `bin` first, so the hook's flag goes there
  const r = await runCli([HOOK, BIN, ...args], {}, 60_000, undefined, '--import');
  const line = r.stderr.split('\n').find((l) => l.startsWith('LOADED '));
  assert.ok(line, r.stderr);
  return { code: r.code, modules: JSON.parse(line.slice('LOADED '.length)) as string[] };
}

const HEAVY = [/node_modules\/kafkajs\//, /@kafkajs\/confluent-schema-registry/, /node_modules\/pg\//, /\/src\/scanners\//, /\/src\/runtime\//, /\/src\/processors\//, /\/src\/normalizers\/formats\//]; // prettier-ignore

for (const args of [['--version'], ['--help'], ['scan', '--help'], ['tail', '--help'], ['dlq', 'redrive', '--help']]) {
  test(`asmvs ${args.join(' ')} loads no scanner, Kafka or runtime module`, async () => {
    const { code, modules } = await loadedBy(args);
    assert.equal(code, 0);
    const heavy = modules.filter((m) => HEAVY.some((h) => h.test(m)));
    assert.deepEqual(heavy, []);
    assert.ok(modules.length < 80, `${modules.length} modules`);
  });
}

test('asmvs scan loads no Kafka client, registry, metrics or tracing SDK code', async () => {
  const { code, modules } = await loadedBy(['scan', '999.1.1.1']);
  assert.equal(code, 2);
  const kafka = modules.filter((m) =>
    /kafkajs|confluent-schema-registry|prom-client|@opentelemetry\/(sdk|exporter)|\/src\/cli\/actions\/(?!scan)/.test(
      m,
    ),
  );
  assert.deepEqual(kafka, []);
});
