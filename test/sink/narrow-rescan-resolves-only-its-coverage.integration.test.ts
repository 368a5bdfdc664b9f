// Issue 12 item 3, against PostgreSQL: `scan 127.0.0.1 --ports 6379,5432` after a wider scan resolved the MQTT
// (1883) and NATS (4222) findings it never looked at. Now a rescan resolves only inside its coverage: ports it did
// not probe keep their findings open; a probed port that closed resolves everything on it; on a port still open,
// a check that ran and passed resolves its finding, a check that errored does not. A summary without coverage (an
// older producer) resolves the asset and scanner whole, as before. A split scan resolves within its parts' union.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { normalizeRaw } from '../../src/normalizers/index.ts';
import { findingsResolver } from '../../src/processors/findings-resolver.ts';
import { findingsSink } from '../../src/processors/findings-sink.ts';
import { vsNormalization, type NormalizationDeps } from '../../src/processors/vs-normalization.ts';
import { sinkDeps } from '../../src/wiring/sink-deps.ts';
import { createLocalRunner } from '../../src/runtime/local/local-runner.ts';
import { openSink } from '../../src/sink/index.ts';
import { getScanner, runScanner } from '../../src/scanners/index.ts';
import type { RawFinding } from '../../src/schemas/types.gen.ts';
import { NOW, PROVENANCE, rawOf } from '../normalizers/raw.ts';
import { runtimeSettings, silent } from '../helpers/runtime-settings.ts';
import { loopbackContext } from '../helpers/scanner-context.ts';
import { withDatabase } from '../helpers/test-database.ts';
import { service } from '../helpers/exposure-harness.ts';

const HOUR = 3_600_000;
const HOST = '127.0.0.1';
const SERVICE: Record<number, string> = { 22: 'ssh', 1883: 'mqtt', 4222: 'nats', 5432: 'postgresql', 6379: 'redis' };
const CHECK: Record<number, string> = {
  1883: 'mqtt-unauthenticated',
  4222: 'nats-unauthenticated',
  5432: 'postgres-no-password',
  6379: 'redis-unauthenticated',
};

type Outcome = 'pass' | 'fail' | 'error';

/** An asmvs-checks/1 document as the built-in checks scanner writes it for one host. */
function checksDoc(ports: string, open: readonly number[], runs: Readonly<Record<number, Outcome>>): string {
  return JSON.stringify({
    schema: 'asmvs-checks/1',
    scanner: { name: 'asmvs-checks', version: '0.1.0' },
    target: HOST,
    startedAt: new Date(NOW).toISOString(),
    finishedAt: new Date(NOW).toISOString(),
    complete: true,
    truncated: false,
    hosts: [{ address: HOST, hostname: null, portsScanned: 0, ports, openPorts: open, filteredPorts: 0 }],
    services: open.map((port) => ({
      host: HOST,
      hostname: null,
      ...service(port, { service: SERVICE[port] ?? null }),
    })),
    checks: Object.entries(runs)
      .filter(([, outcome]) => outcome === 'fail')
      .map(([port, _]) => ({
        id: CHECK[Number(port)],
        title: `${CHECK[Number(port)]} on ${port}`,
        severity: 'high',
        type: 'EXPOSURE',
        host: HOST,
        hostname: null,
        port: Number(port),
        protocol: 'tcp',
        service: SERVICE[Number(port)],
        product: null,
        version: null,
        evidence: 'answered without credentials',
        description: 'no authentication',
        remediation: 'require authentication',
        references: [],
        url: null,
      })),
    checksRun: Object.entries(runs).map(([port, outcome]) => ({
      id: CHECK[Number(port)],
      host: HOST,
      port: Number(port),
      outcome,
      reason: null,
    })),
  });
}

const scan = (n: number, doc: string, part = 0, parts = 1): RawFinding =>
  rawOf(doc, {
    eventId: `raw-${n}-${part}`,
    scanId: `scan-${n}`,
    scanner: { name: 'asmvs-checks', version: '0.1.0' },
    format: 'asmvs-checks-json',
    finishedAt: NOW + n * HOUR,
    part,
    parts,
  });

// The wide scan: five ports probed, all open, the four unauthenticated services flagged.
const wide = checksDoc('22,1883,4222,5432,6379', [22, 1883, 4222, 5432, 6379], {
  1883: 'fail',
  4222: 'fail',
  5432: 'fail',
  6379: 'fail',
});
// `--ports 22,5432,6379` later: 22 has closed, Redis now asks for a password, the PostgreSQL check could not finish.
const narrow = checksDoc('22,5432,6379', [5432, 6379], { 5432: 'error', 6379: 'pass' });

/** "rule port" → status */
async function statuses(url: string): Promise<Record<string, string>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const rows = await c.query<{ rule: string; port: number; status: string }>(
      `SELECT rule_id AS rule, (finding->'asset'->>'port')::integer AS port, status FROM findings`,
    );
    return Object.fromEntries(rows.rows.map((r) => [`${r.rule} ${r.port}`, r.status]).sort());
  } finally {
    await c.end();
  }
}

/** The pipeline's three stages on the local runner: raw report → findings and summary → PostgreSQL → resolution. */
async function pipeline(url: string, normalize: NormalizationDeps['normalize'], raws: readonly RawFinding[]) {
  const db = sinkDeps(url, () => NOW);
  const runner = createLocalRunner({
    stages: [
      { processor: vsNormalization, deps: { normalize, now: () => NOW } },
      { processor: findingsSink, deps: db.sink },
      { processor: findingsResolver, deps: db.resolver },
    ],
    runtime: runtimeSettings(),
    logger: silent,
  });
  try {
    for (const raw of raws) {
      runner.publish('raw-findings', 'asset-1', raw);
      await runner.idle();
      // a summary that overtook its findings waits on a timer: let it fire
      for (const deadline = Date.now() + 15_000; runner.pendingTimers('findings_resolver').length > 0;) {
        if (Date.now() > deadline) assert.fail('a scan summary still waits for its findings');
        await new Promise((r) => setTimeout(r, 20));
        await runner.idle();
      }
    }
    assert.deepEqual(runner.deadLetters, []);
    return runner.collected('asset-changes').filter((c) => c.value.kind === 'FINDING_RESOLVED').length;
  } finally {
    await runner.stop();
    await db.close();
  }
}

const WIDE_STATE = {
  'mqtt-unauthenticated 1883': 'NEW',
  'nats-unauthenticated 4222': 'NEW',
  'open-port 1883': 'NEW',
  'open-port 22': 'NEW',
  'open-port 4222': 'NEW',
  'open-port 5432': 'NEW',
  'open-port 6379': 'NEW',
  'postgres-no-password 5432': 'NEW',
  'redis-unauthenticated 6379': 'NEW',
};

test('a narrower rescan resolves what it probed and ran, and leaves the ports it never looked at open', async () => {
  await withDatabase(async (url) => {
    const resolvedChanges = await pipeline(url, normalizeRaw, [scan(1, wide), scan(2, narrow)]);
    assert.deepEqual(await statuses(url), {
      ...WIDE_STATE,
      // not probed by the rescan: untouched
      'mqtt-unauthenticated 1883': 'NEW',
      'nats-unauthenticated 4222': 'NEW',
      'open-port 1883': 'NEW',
      'open-port 4222': 'NEW',
      // probed and closed: gone
      'open-port 22': 'RESOLVED',
      // probed, open, seen again
      'open-port 5432': 'OPEN',
      'open-port 6379': 'OPEN',
      // the check errored: no result, so no resolution
      'postgres-no-password 5432': 'NEW',
      // the check ran and passed
      'redis-unauthenticated 6379': 'RESOLVED',
    });
    assert.equal(resolvedChanges, 2);
  });
});

test('the issue as reported: real checks scans of this machine, then --ports 6379,5432, leave MQTT and NATS open', async () => {
  // the machine's Mosquitto (1883), NATS (4222), PostgreSQL (5432) and Redis (6379) on loopback
  const real = async (n: number, ports: string) => {
    const r = await runScanner(getScanner('asmvs-checks'), { target: HOST, ports }, loopbackContext());
    return rawOf(r.payload, {
      eventId: `real-${n}`,
      scanId: `real-${n}`,
      scanner: r.scanner,
      format: r.format,
      complete: r.complete,
      truncated: r.truncated,
      startedAt: NOW + n * HOUR - 1000,
      finishedAt: NOW + n * HOUR,
    });
  };
  await withDatabase(async (url) => {
    await pipeline(url, normalizeRaw, [await real(1, '1883,4222,5432,6379'), await real(2, '6379,5432')]);
    const s = await statuses(url);
    const on = (port: number) => Object.keys(s).filter((k) => k.endsWith(` ${port}`));
    assert.ok(on(1883).length > 0 && on(4222).length > 0, `the first scan found MQTT and NATS: ${JSON.stringify(s)}`);
    assert.deepEqual(
      Object.keys(s).filter((k) => s[k] === 'RESOLVED'),
      [],
      'nothing changed on 5432 and 6379, and 1883 and 4222 were not looked at',
    );
  });
});

test('a summary without coverage (an older producer) resolves the asset and scanner whole, as before', async () => {
  await withDatabase(async (url) => {
    const older: NormalizationDeps['normalize'] = (raw, provenance) => {
      const { findings, complete } = normalizeRaw(raw, provenance);
      return { findings, complete };
    };
    await pipeline(url, older, [scan(1, wide), scan(2, narrow)]);
    const s = await statuses(url);
    assert.deepEqual(
      Object.keys(s).filter((k) => s[k] === 'RESOLVED'),
      [
        'mqtt-unauthenticated 1883',
        'nats-unauthenticated 4222',
        'open-port 1883',
        'open-port 22',
        'open-port 4222',
        'postgres-no-password 5432',
        'redis-unauthenticated 6379',
      ],
    );
  });
});

test('a split rescan resolves within the union of its parts, once the last part is in', async () => {
  await withDatabase(async (url) => {
    const sink = openSink(url);
    try {
      await sink.migrate();
      const first = normalizeRaw(scan(1, wide), PROVENANCE);
      await sink.upsertFindings(first.findings);
      // part 0 probed 22 and 1883 (both closed now); part 1 probed 6379 (Redis fixed)
      const parts = [checksDoc('22,1883', [], {}), checksDoc('6379', [6379], { 6379: 'pass' })].map((doc, part) =>
        normalizeRaw(scan(2, doc, part, 2), PROVENANCE),
      );
      const outcomes = [];
      for (const [part, r] of parts.entries()) {
        await sink.upsertFindings(r.findings);
        assert.notEqual(r.coverage, null);
        outcomes.push(
          await sink.resolveScan({
            assetKey: 'asset-1',
            scanner: 'asmvs-checks',
            scanId: 'scan-2',
            finishedAt: NOW + 2 * HOUR,
            findingCount: r.findings.length,
            part,
            parts: 2,
            coverage: r.coverage,
          }),
        );
      }
      assert.deepEqual(outcomes[0], { state: 'partial', recorded: 1, parts: 2 });
      assert.equal(outcomes[1]?.state, 'resolved');
      const s = await statuses(url);
      assert.deepEqual(
        Object.keys(s).filter((k) => s[k] === 'RESOLVED'),
        ['mqtt-unauthenticated 1883', 'open-port 1883', 'open-port 22', 'redis-unauthenticated 6379'],
      );
    } finally {
      await sink.close();
    }
  });
});
