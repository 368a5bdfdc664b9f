// `asmvs run` installs its signal handlers before anything connects: a SIGTERM while a stage starts — waiting for an
// unavailable registry, or joining a group whose members must rejoin first — stops it cleanly: exit 0, and a copy that
// joined leaves the group, so the other copies get its partitions back at once instead of after its session timeout.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { registryProxy } from '../helpers/registry-outage.ts';
import { eventually } from '../helpers/eventually.ts';
import { createHarness } from '../helpers/kafka-harness.ts';
import { spawnWatched, withTimeout, type StageProcess } from '../helpers/stage-process.ts';

const BIN = fileURLToPath(new URL('../../bin/asmvs.js', import.meta.url));
const asmvsRun = (env: Record<string, string>) => spawnWatched([BIN, 'run', 'vs_normalization'], env);
// vs_normalization's outputs besides normalized-findings (the harness's): a stage checks its topics at start.
const alsoTopics = ['scan-results', 'job-status'];
const logged = (p: StageProcess, msg: string) =>
  eventually(
    async () => p.stdout.some((l) => l.includes(`"msg":"${msg}"`)),
    (seen) => seen,
    { timeoutMs: 60_000 },
  );

test('SIGTERM while the stage waits for the registry at start: exit 0', { timeout: 90_000 }, async () => {
  const h = await createHarness('sigterm-start-registry', { partitions: 2, alsoTopics });
  const { proxy, url } = await registryProxy();
  await proxy.down();
  const stage = asmvsRun({ TOPIC_PREFIX: h.prefix, SCHEMA_REGISTRY_URL: url });
  try {
    await eventually(
      async () =>
        stage.stdout.some((l) => l.includes('schema registry is unavailable')) || stage.child.exitCode !== null,
      (done) => done,
      { timeoutMs: 30_000 },
    );
    assert.equal(stage.child.exitCode, null, `it waits rather than exits: ${stage.stderr.join('')}`);
    stage.child.kill('SIGTERM');
    const exit = await withTimeout(stage.exited, 30_000, 'exit after SIGTERM');
    assert.deepEqual(exit, { code: 0, signal: null }, stage.stderr.join(''));
    assert.ok(stage.stdout.some((l) => l.includes('"msg":"stage stopped"')));
  } finally {
    stage.child.kill('SIGKILL');
    await proxy.close();
    await h.close();
  }
});

test(
  'SIGTERM while joining a group: exit 0, and the copy leaves the group (the other gets every partition back at once)',
  { timeout: 120_000 },
  async () => {
    const h = await createHarness('sigterm-start-join', { partitions: 4, alsoTopics });
    // Both copies as `asmvs run` runs them: the first notices the rebalance at its next heartbeat (3 s by default), so
    // the second one's join takes a while.
    const first = asmvsRun({ TOPIC_PREFIX: h.prefix });
    // A session far longer than the test: had the second copy not left, the first would wait that long for it.
    let second: StageProcess | undefined;
    try {
      await withTimeout(first.assigned, 30_000, 'first copy assigned');
      second = asmvsRun({
        TOPIC_PREFIX: h.prefix,
        KAFKA_SESSION_TIMEOUT_MS: '240000',
        KAFKA_HEARTBEAT_INTERVAL_MS: '3000',
      });
      await logged(second, 'joining the group');
      second.child.kill('SIGTERM');
      const exit = await withTimeout(second.exited, 60_000, 'exit after SIGTERM');
      assert.deepEqual(exit, { code: 0, signal: null }, second.stderr.join(''));
      const all = '"partitions":[0,1,2,3]';
      const assignedAll = () =>
        first.stdout
          .filter((l) => l.includes('"msg":"assigned"'))
          .at(-1)
          ?.includes(all);
      await eventually(
        async () => assignedAll() === true,
        (yes) => yes,
        { timeoutMs: 60_000 },
      );
    } finally {
      first.child.kill('SIGTERM');
      second?.child.kill('SIGKILL');
      await withTimeout(first.exited, 30_000, 'first exit').catch(() => first.child.kill('SIGKILL'));
      await h.close();
    }
  },
);
