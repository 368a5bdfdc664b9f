// Must show: bad config (concurrency 0, unknown stage, negative deadline, a topic the stage writes missing) stops
// start-up with a clear message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { createHarness } from '../helpers/kafka-harness.ts';
import { spawnStage, spawnWatched, withTimeout } from '../helpers/stage-process.ts';

const cases: { name: string; stage: string; env: Record<string, string>; message: RegExp }[] = [
  {
    name: 'concurrency 0',
    stage: 'vs_normalization',
    env: { STAGE_CONCURRENCY: '0' },
    message: /invalid configuration:\n {2}STAGE_CONCURRENCY: .*>=1/,
  },
  {
    name: 'unknown stage',
    stage: 'nope',
    env: {},
    message:
      /unknown stage "nope"; the stages are: asm_scheduler, asm_discovery, host_scan, asm_progress, asm_exposure/,
  },
  {
    name: 'negative deadline',
    stage: 'vs_normalization',
    env: { SHUTDOWN_DEADLINE_MS: '-1' },
    message: /SHUTDOWN_DEADLINE_MS: .*>=0/,
  },
];

for (const c of cases) {
  test(`bad config stops start-up: ${c.name}`, { timeout: 30_000 }, async () => {
    const p = spawnStage(c.stage, c.env);
    const { code } = await withTimeout(p.exited, 25_000, 'the stage to exit');
    assert.equal(code, 2);
    assert.match(p.stderr.join(''), c.message);
  });
}

test(
  'a missing output topic stops start-up, naming every missing topic, before the stage joins its group',
  { timeout: 60_000 },
  async () => {
    // The harness creates raw-findings, its dead-letter topic and normalized-findings; vs_normalization also writes
    // scan-results and job-status. Without the check its first publish would be retried for ever, offsets held.
    const h = await createHarness('missing-output-topic', { partitions: 1 });
    const bin = fileURLToPath(new URL('../../bin/asmvs.js', import.meta.url));
    const p = spawnWatched([bin, 'run', 'vs_normalization'], { TOPIC_PREFIX: h.prefix });
    try {
      const { code } = await withTimeout(p.exited, 45_000, 'the stage to exit');
      assert.equal(code, 1);
      const err = p.stderr.join('');
      assert.match(err, new RegExp(`topics ${h.prefix}scan-results, ${h.prefix}job-status do not exist`));
      assert.match(err, /TOPIC_MISSING/);
      assert.ok(!p.stdout.some((l) => l.includes('"msg":"joining the group"')), 'it stopped before joining');
    } finally {
      p.child.kill('SIGKILL');
      await h.close();
    }
  },
);
