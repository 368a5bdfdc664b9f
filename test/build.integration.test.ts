// The production build (scripts/build.ts, what docker-compose.yml runs): plain JavaScript that behaves as the
// sources do. Built into a directory inside the project (bare imports resolve from its node_modules), then run as
// a user runs the CLI: the same findings for every fixture report, and a one-shot scan of 5,000 ports (more than 4,096),
// which goes through the port-scan worker threads (a module the build must find by its .js name).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Finding } from '../src/schemas/types.gen.ts';
import { runCli } from './helpers/cli.ts';
import { FIXTURES } from './normalizers/raw.ts';

/** The findings without what a run stamps on them (its scan and request ids, its clock). */
function contentOf(stdout: string) {
  return (JSON.parse(stdout) as Finding[]).map((f) => ({
    fingerprint: f.fingerprint,
    ruleId: f.ruleId,
    title: f.title,
    severity: f.severity,
    cves: f.cves,
    asset: f.asset,
    occurrences: f.occurrences,
  }));
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));

test(
  'the built CLI gives the same findings as the sources and scans through its worker threads',
  { timeout: 240_000 },
  async () => {
    const out = mkdtempSync(join(ROOT, '.build-'));
    try {
      await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/build.ts'), out], { timeout: 120_000 });
      const bin = join(out, 'bin/asmvs.js');
      const files = readdirSync(out, { recursive: true, encoding: 'utf8' });
      assert.deepEqual(
        files.filter((f) => f.endsWith('.ts')),
        [],
        'no TypeScript in the build',
      );
      for (const asset of [
        'src/schemas/monitors.avsc',
        'src/sink/migrations/001_assets_and_findings.sql',
        'package.json',
      ])
        assert.ok(existsSync(join(out, asset)), asset);

      const version = await runCli(['--version'], {}, 30_000, undefined, bin);
      assert.equal(version.stdout.trim(), JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version);

      const reports = readdirSync(fileURLToPath(FIXTURES)).filter((f) => /\.(json|jsonl|xml|sarif)$/.test(f));
      assert.ok(reports.length >= 10, reports.join(' '));
      for (const report of reports) {
        const path = fileURLToPath(new URL(report, FIXTURES));
        const [fromSources, fromBuild] = await Promise.all([
          runCli(['normalize', path, '--json'], {}, 30_000),
          runCli(['normalize', path, '--json'], {}, 30_000, undefined, bin),
        ]);
        assert.equal(fromBuild.code, 0, `${report}: ${fromBuild.stderr}`);
        assert.equal(fromSources.code, 0, `${report}: ${fromSources.stderr}`);
        // a CLI run is a new scan (its ids and clock differ per run); what the report says does not
        assert.deepEqual(contentOf(fromBuild.stdout), contentOf(fromSources.stdout), `${report}: the same findings`);
      }

      const scan = await runCli(['scan', '127.0.0.1', '--ports', '3000-7999', '--json'], {}, 120_000, undefined, bin);
      assert.equal(scan.code, 0, scan.stderr);
      const services = (JSON.parse(scan.stdout) as Finding[]).filter((f) => f.findingType === 'SERVICE');
      const found = new Map(services.map((f) => [f.asset.port, f.asset.service]));
      for (const [port, service] of [
        [3306, 'mysql'],
        [4222, 'nats'],
        [5432, 'postgresql'],
        [6379, 'redis'],
      ] as const)
        assert.equal(found.get(port), service, `port ${port}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  },
);
