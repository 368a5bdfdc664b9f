// A small versioned-migration runner: numbered .sql files applied in order, each in its own transaction, recorded
// in schema_migrations with a checksum; a session advisory lock makes concurrent sink processes wait rather than race.
// Written here rather than taken from a library because it is ~60 lines and the project adds no dependency for it.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { Pool } from 'pg';
import { AsmvsError } from '../errors.ts';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
// any constant: the lock is per database, and only this runner takes it
const LOCK_KEY = 7_302_114_551;

export interface Migration {
  version: number;
  name: string;
  sql: string;
  checksum: string;
}

export async function loadMigrations(dir: URL = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{3}_[\w-]+\.sql$/.test(f)).sort();
  return Promise.all(
    files.map(async (file) => {
      const sql = await readFile(new URL(file, dir), 'utf8');
      return {
        version: Number(file.slice(0, 3)),
        name: file,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    }),
  );
}

/** Applies the migrations not yet applied; returns their names. Refuses if an applied file was edited. */
export async function migrate(pool: Pool, migrations?: Migration[]): Promise<string[]> {
  const list = migrations ?? (await loadMigrations());
  const client = await pool.connect();
  // The server going away mid-migration emits 'error' on this client: without a listener it would kill the process.
  const ignore = (): void => undefined;
  client.on('error', ignore);
  try {
    await client.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const applied = new Map<number, string>();
    for (const row of (
      await client.query<{ version: number; checksum: string }>('SELECT version, checksum FROM schema_migrations')
    ).rows) {
      applied.set(row.version, row.checksum);
    }
    const done: string[] = [];
    for (const m of list) {
      const sum = applied.get(m.version);
      if (sum !== undefined) {
        if (sum !== m.checksum)
          throw new AsmvsError('CONFIG_INVALID', `migration ${m.name} was changed after it was applied`);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
          m.version,
          m.name,
          m.checksum,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      done.push(m.name);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]).catch(() => undefined);
    client.off('error', ignore);
    client.release();
  }
}
