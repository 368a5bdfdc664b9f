// Chaos: PostgreSQL goes down (an immediate shutdown, as a crash) under findings_sink for 10 s while findings keep
// arriving — transactions in flight — and comes back. The stage waits for it — it does not spend the findings' retries, it does not exit — and
// then stores every finding once: none lost, none dead-lettered. The database is a private PostgreSQL on its own port
// (the machine's server is never stopped); the stage is `asmvs run findings_sink`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import pg from 'pg';
import { createTopics } from '../../src/admin/topics.ts';
import { requireKafka } from '../../src/config/config.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { publishEvents } from '../../src/runtime/kafka/publish.ts';
import { removePrefixed } from '../helpers/cleanup.ts';
import { eventually } from '../helpers/eventually.ts';
import { startPrivatePostgres, type PrivatePostgres } from '../helpers/private-postgres.ts';
import { stackConfig, uniquePrefix } from '../helpers/stack.ts';
import { findingOf, rawFinding } from '../helpers/fixtures/events.ts';
import { spawnWatched, withTimeout, type StageProcess } from '../helpers/stage-process.ts';

const BIN = fileURLToPath(new URL('../../bin/asmvs.js', import.meta.url));
const FINDINGS = 600;

const findings = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => {
    const raw = rawFinding(`asset-${(from + i) % 30}`, from + i);
    return { key: raw.eventId, value: findingOf(raw, { topic: 'raw-findings', partition: 0, offset: from + i }) };
  });

async function stored(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    return Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM findings')).rows[0]?.n ?? 0);
  } catch {
    return -1; // not there yet (before the first migration), or the server is down
  } finally {
    await client.end().catch(() => undefined);
  }
}

test(
  'PostgreSQL down 10 s under findings_sink: it waits, then stores every finding once',
  { timeout: 240_000 },
  async () => {
    const prefix = uniquePrefix('chaos-pg');
    const config = stackConfig({ TOPIC_PREFIX: prefix, TOPIC_PARTITIONS: '3' });
    let db: PrivatePostgres | undefined;
    let stage: StageProcess | undefined;
    const admin = createKafka(requireKafka(config), 'chaos-pg').admin();
    try {
      db = await startPrivatePostgres();
      await createTopics(config);
      await admin.connect();
      stage = spawnWatched([BIN, 'run', 'findings_sink'], {
        TOPIC_PREFIX: prefix,
        DATABASE_URL: db.url,
        OUTAGE_RETRY_MAX_MS: '1000',
      });
      await withTimeout(stage.assigned, 60_000, 'assigned');
      // Findings keep arriving, 20 at a time, through the outage: the server goes away with transactions in flight.
      const arriving = (async () => {
        for (let from = 0; from < FINDINGS; from += 20) {
          await publishEvents(config, 'normalized-findings', findings(from, from + 20));
          await delay(100);
        }
      })();
      await eventually(
        () => stored(db!.url),
        (n) => n >= FINDINGS / 6,
        { timeoutMs: 60_000, intervalMs: 50 },
      );
      await db.stop();
      await arriving;
      await eventually(
        async () => stage!.stdout.some((l) => l.includes('PostgreSQL is unavailable')),
        (seen) => seen,
        { timeoutMs: 60_000 },
      );
      await delay(10_000); // the outage lasts
      assert.equal(stage.child.exitCode, null, 'the stage waits for the database rather than exits');
      await db.start();

      await eventually(
        () => stored(db!.url),
        (n) => n === FINDINGS,
        { timeoutMs: 120_000, intervalMs: 500 },
      );
      const dlq = await admin.fetchTopicOffsets(`${prefix}normalized-findings.dlq`);
      assert.equal(
        dlq.reduce((n, p) => n + Number(p.high), 0),
        0,
        'nothing dead-lettered',
      );
      assert.ok(stage.stdout.some((l) => l.includes('PostgreSQL is available again')));
      console.log(`[postgres down] ${FINDINGS} findings stored, 0 dead letters`);
      stage.child.kill('SIGTERM');
      assert.equal((await withTimeout(stage.exited, 40_000, 'exit')).code, 0);
    } catch (error) {
      // What the stage said is what explains a failure here (CI keeps this output).
      console.log(`stage log (last 60 lines):\n${stage?.stdout.slice(-60).join('\n')}\n${stage?.stderr.join('')}`);
      throw error;
    } finally {
      stage?.child.kill('SIGKILL');
      await admin.disconnect();
      await removePrefixed(config);
      await db?.close();
    }
  },
);
