// A throwaway PostgreSQL database per test: created on the local server (DATABASE_URL, or the trust-auth loopback
// default), dropped afterwards with FORCE so a leaked connection cannot keep it alive.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const ADMIN_URL = process.env['DATABASE_URL'] || 'postgres://postgres@127.0.0.1:5432/test';

export async function withDatabase<T>(work: (url: string) => Promise<T>): Promise<T> {
  const name = `asmvs_sink_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    return await work(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
  }
}
