// vs_normalization → findings_sink → findings_resolver on the local runner against PostgreSQL: a rescan with one
// issue fixed resolves exactly that finding (and reports it on asset-changes), even when the scan summary arrives
// before the findings it counts; redelivering everything changes no row and reports no change it had not reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { normalizeRaw } from '../../src/normalizers/index.ts';
import { findingsResolver, waitTimerId } from '../../src/processors/findings-resolver.ts';
import { findingsSink } from '../../src/processors/findings-sink.ts';
import { vsNormalization } from '../../src/processors/vs-normalization.ts';
import { sinkDeps } from '../../src/wiring/sink-deps.ts';
import { createLocalRunner } from '../../src/runtime/local/local-runner.ts';
import type { RawFinding } from '../../src/schemas/types.gen.ts';
import { fixture, NOW, rawOf } from '../normalizers/raw.ts';
import { runtimeSettings, silent } from '../helpers/runtime-settings.ts';
import { withDatabase } from '../helpers/test-database.ts';

const HOUR = 3_600_000;
const full = fixture('nmap-vulners-weak-tls.xml').toString();
const fixedOne = full.replace(/<table>\s*<elem key="id">CVE-2021-41617<\/elem>[\s\S]*?<\/table>\s*/, '');

const scan = (n: number, xml: string): RawFinding =>
  rawOf(xml, {
    eventId: `raw-${n}`,
    scanId: `scan-${n}`,
    scanner: { name: 'nmap', version: '7.93' },
    finishedAt: NOW + n * HOUR,
  });

/** fingerprint → "rule status" */
async function statuses(url: string): Promise<Map<string, string>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const rows = await c.query<{ fingerprint: string; rule_id: string; status: string }>(
      'SELECT fingerprint, rule_id, status FROM findings ORDER BY fingerprint',
    );
    return new Map(rows.rows.map((r) => [r.fingerprint, `${r.rule_id} ${r.status}`]));
  } finally {
    await c.end();
  }
}

test('a rescan with one issue fixed resolves exactly that finding; redelivery reports no new change', async () => {
  await withDatabase(async (url) => {
    const db = sinkDeps(url, () => NOW);
    const runner = createLocalRunner({
      stages: [
        { processor: vsNormalization, deps: { normalize: normalizeRaw, now: () => NOW } },
        { processor: findingsSink, deps: db.sink },
        { processor: findingsResolver, deps: db.resolver },
      ],
      runtime: runtimeSettings(),
      logger: silent,
    });
    try {
      runner.publish('raw-findings', 'asset-1', scan(1, full));
      await runner.idle();
      assert.deepEqual(
        runner.deadLetters.map((d) => d.error.message),
        [],
      );
      let s = await statuses(url);
      assert.equal(s.size, 8);
      assert.ok([...s.values()].every((v) => v.endsWith(' NEW')));
      assert.equal(runner.collected('asset-changes').filter((c) => c.value.kind === 'FINDING_OPENED').length, 8);

      // the summary of scan 2 first, its findings after: the resolver waits for them (a timer), then resolves
      const fixedResult = normalizeRaw(scan(2, fixedOne), { topic: 'raw-findings', partition: 0, offset: 1 });
      runner.publish('scan-results', 'asset-1', {
        eventId: 'summary-2',
        requestId: 'request-1',
        producedAt: NOW,
        producer: { stage: 'vs_normalization', version: 'test' },
        scanId: 'scan-2',
        assetKey: 'asset-1',
        scanner: 'nmap',
        finishedAt: NOW + 2 * HOUR,
        complete: true,
        findingCount: fixedResult.findings.length,
        part: 0,
        parts: 1,
        coverage: fixedResult.coverage,
      });
      await runner.idle();
      assert.ok(
        runner.pendingTimers('findings_resolver').some((t) => t.id === waitTimerId({ scanId: 'scan-2', part: 0 })),
        'the summary waits on a timer',
      );
      for (const f of fixedResult.findings) runner.publish('normalized-findings', f.fingerprint, f);
      const resolved = () => runner.collected('asset-changes').some((c) => c.value.kind === 'FINDING_RESOLVED');
      for (const deadline = Date.now() + 15_000; !resolved() && Date.now() < deadline;)
        await new Promise((r) => setTimeout(r, 20));
      for (const deadline = Date.now() + 15_000; runner.pendingTimers('findings_resolver').length > 0;)
        if (Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
        else assert.fail('a scan still waits');
      await runner.idle();
      assert.equal(runner.deadLetters.length, 0);
      s = await statuses(url);
      assert.deepEqual(
        [...s.values()].filter((v) => v.endsWith(' RESOLVED')),
        ['CVE-2021-41617 RESOLVED'],
      );
      assert.equal([...s.values()].filter((v) => v.endsWith(' OPEN')).length, 7);
      const resolvedChanges = runner.collected('asset-changes').filter((c) => c.value.kind === 'FINDING_RESOLVED');
      assert.equal(resolvedChanges.length, 1);

      // redeliver both raw events: rows and statuses stay as they were; the changes whose events are redelivered
      // are reported again (a publish may have failed after the commit), with the ids they had: nothing new
      const changeIds = () => new Set(runner.collected('asset-changes').map((c) => c.value.changeId));
      const before = changeIds();
      const reported = runner.collected('asset-changes').length;
      runner.publish('raw-findings', 'asset-1', scan(1, full));
      runner.publish('raw-findings', 'asset-1', scan(2, fixedOne));
      await runner.idle();
      assert.deepEqual(await statuses(url), s);
      assert.deepEqual(changeIds(), before);
      assert.ok(runner.collected('asset-changes').length > reported);
      assert.equal(runner.deadLetters.length, 0);
    } finally {
      await runner.stop();
      await db.close();
    }
  });
});
