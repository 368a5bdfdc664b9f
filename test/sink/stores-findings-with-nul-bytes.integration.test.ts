// Every finding the normalizer emits is storable: the machine's MariaDB (127.0.0.1:3306) greets with a handshake full
// of NUL bytes, the asmvs-checks scanner keeps that banner as evidence, and PostgreSQL refuses U+0000 in jsonb
// (22P05). The finding is stored with each NUL written as `\x00`; a finding from an older normalizer that still holds
// U+0000 or an unpaired surrogate is stored the same way; and data PostgreSQL does refuse is DATABASE_REJECTED, not
// retryable, so it is dead-lettered at once instead of being retried as if the database were down.
// Needs MariaDB on 127.0.0.1:3306 and PostgreSQL on 127.0.0.1:5432.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import pg from 'pg';
import { getScanner, runScanner } from '../../src/scanners/index.ts';
import { normalizeRaw } from '../../src/normalizers/index.ts';
import { openSink } from '../../src/sink/index.ts';
import { toDatabaseError } from '../../src/sink/db-errors.ts';
import type { Finding } from '../../src/schemas/types.gen.ts';
import { loopbackContext } from '../helpers/scanner-context.ts';
import { NOW, PROVENANCE, rawOf } from '../normalizers/raw.ts';
import { withDatabase } from '../helpers/test-database.ts';

function mariadbGreeting(): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port: 3306 });
    s.setTimeout(5000, () => s.destroy(new Error('no greeting within 5 s')));
    s.once('data', (d: Buffer) => {
      s.destroy();
      resolve(d);
    });
    s.once('error', reject);
  });
}

async function storedEvidence(url: string, fingerprint: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const r = await client.query<{ evidence: string | null }>(
      "SELECT finding->>'evidence' AS evidence FROM findings WHERE fingerprint = $1",
      [fingerprint],
    );
    return r.rows[0]?.evidence ?? null;
  } finally {
    await client.end();
  }
}

test(
  'the MariaDB handshake banner, scanned and normalized, is stored; NUL bytes are written as \\x00',
  { timeout: 120_000 },
  async () => {
    const greeting = await mariadbGreeting();
    assert.ok(greeting.includes(0), 'the real handshake holds NUL bytes');

    const scan = await runScanner(
      getScanner('asmvs-checks'),
      { target: '127.0.0.1', ports: [3306] },
      loopbackContext(),
    );
    const raw = rawOf(scan.payload, { format: scan.format, scanner: { name: 'asmvs-checks', version: null } });
    const { findings } = normalizeRaw(raw, PROVENANCE, { now: NOW });
    const mysql = findings.find((f) => f.asset.port === 3306 && f.findingType === 'SERVICE');
    assert.ok(mysql, 'the MariaDB service is a finding');
    for (const f of findings) assert.doesNotMatch(JSON.stringify(f), /\\u0000/, `${f.ruleId} holds no U+0000`);

    // what an older normalizer emitted: the banner with its bytes as they came (latin1, NUL included)
    const old: Finding = {
      ...mysql,
      fingerprint: 'f'.repeat(64),
      eventId: 'old-normalizer-event',
      evidence: greeting.subarray(0, 120).toString('latin1'),
      description: 'lone surrogate \ud800 here',
    };
    assert.ok(old.evidence?.includes('\u0000'));

    await withDatabase(async (url) => {
      const sink = openSink(url);
      try {
        await sink.migrate();
        const result = await sink.upsertFindings([...findings, old]);
        assert.equal(result.written, findings.length + 1);
        assert.equal(await storedEvidence(url, mysql.fingerprint), mysql.evidence);
        const stored = await storedEvidence(url, old.fingerprint);
        assert.ok(stored?.includes('\\x00'), 'NUL written as \\x00');
        assert.ok(!stored?.includes('\u0000'));
        assert.equal(stored, old.evidence?.replaceAll('\u0000', '\\x00'));
      } finally {
        await sink.close();
      }
    });
  },
);

test('data PostgreSQL refuses (class 22, 23) is DATABASE_REJECTED, not retryable', async () => {
  await withDatabase(async (url) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const refused = await client
        .query(`SELECT $1::jsonb`, [JSON.stringify({ banner: 'a\u0000b' })])
        .catch((e: unknown) => e);
      const error = toDatabaseError(refused);
      assert.equal((refused as { code?: string }).code, '22P05');
      assert.deepEqual(
        [(error as { code?: string }).code, (error as { retryable?: boolean }).retryable],
        ['DATABASE_REJECTED', false],
      );
      const duplicate = await client
        .query('CREATE TABLE t (k int PRIMARY KEY); INSERT INTO t VALUES (1); INSERT INTO t VALUES (1);')
        .catch((e: unknown) => e);
      assert.equal((duplicate as { code?: string }).code, '23505');
      assert.equal((toDatabaseError(duplicate) as { code?: string }).code, 'DATABASE_REJECTED');
    } finally {
      await client.end();
    }
    // through the sink: a value out of a column's range (smallint) is refused by PostgreSQL, every time
    const sink = openSink(url);
    try {
      await sink.migrate();
      const raw = rawOf(
        '{"scanner":{"name":"asmvs-checks"},"checks":[],"services":[{"host":"127.0.0.1","port":1,"protocol":"TCP","state":"open"}]}',
        {
          format: 'asmvs-checks-json',
        },
      );
      const [f] = normalizeRaw(raw, PROVENANCE, { now: NOW }).findings;
      assert.ok(f);
      await assert.rejects(sink.upsertFindings([{ ...f, severityId: 70_000 }]), {
        code: 'DATABASE_REJECTED',
        retryable: false,
        message: /SQLSTATE 22003/,
      });
    } finally {
      await sink.close();
    }
  });
});
