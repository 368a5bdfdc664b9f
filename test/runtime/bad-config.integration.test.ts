// Must show: bad config (concurrency 0, unknown stage, negative deadline) stops start-up with a clear message.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnStage, withTimeout } from '../helpers/stage-process.ts';

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
