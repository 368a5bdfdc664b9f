// vs_normalization under the compose heap (--max-old-space-size=256 --max-semi-space-size=4) survives reports built
// to exhaust memory — 16 MB of `{}`, 100 M numbers, null/true/false, a 64 MB string, 4 M XML elements in one item —
// each refused with REPORT_TOO_LARGE on its first attempt (dead-lettered, not retried) while the good report after
// it is normalized. Before every value kind was counted, the 16 MB case ended the process with exit 134.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('./hostile-reports-stage.ts', import.meta.url));

function runStage(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=256', '--max-semi-space-size=4', SCRIPT], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 240_000,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test(
  'the stage survives reports built to exhaust its heap, refusing each with REPORT_TOO_LARGE',
  { timeout: 300_000 },
  async () => {
    const r = await runStage();
    assert.equal(r.code, 0, `the stage process exited with ${r.code}: ${r.stderr.slice(-2000)}`);
    const out = JSON.parse(r.stdout) as {
      deadLetters: { code: string; attempts: number; message: string }[];
      cases: string[];
      findings: number;
      peakHeapMB: number;
    };
    assert.equal(out.deadLetters.length, out.cases.length, JSON.stringify(out.deadLetters));
    for (const [i, d] of out.deadLetters.entries()) {
      assert.equal(d.code, 'REPORT_TOO_LARGE', `${out.cases[i]}: ${d.message}`);
      assert.equal(d.attempts, 1, 'not retryable: dead-lettered on the first attempt');
    }
    assert.equal(out.findings, 6 * out.cases.length, 'every good report after a hostile one is normalized');
    assert.ok(out.peakHeapMB < 256, `peak heap ${out.peakHeapMB} MB`);
  },
);
