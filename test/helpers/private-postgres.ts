// A private PostgreSQL server for fault tests that stop the database: its own data directory and free port on
// loopback, trust authentication, never the machine's server. PostgreSQL refuses to run as root, so when the tests
// run as root it runs as the `postgres` user (setpriv, which execs: the watchdog's PID is the postmaster's own).
// stop() is an immediate shutdown (a crash, recovered at the next start); start() brings it back on the same data.
import { execFile } from 'node:child_process';
import { chmod, chown, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './free-port.ts';
import { startWatched, type WatchedProcess } from './watched-process.ts';

const run = promisify(execFile);

export interface PrivatePostgres {
  /** postgres://… of its `postgres` database. */
  readonly url: string;
  /** Immediate shutdown; resolves when the server is gone. */
  stop(): Promise<void>;
  /** Starts it again; resolves when it accepts connections. */
  start(): Promise<void>;
  close(): Promise<void>;
}

async function binDir(): Promise<string> {
  const versions = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('no PostgreSQL under /usr/lib/postgresql');
  return `/usr/lib/postgresql/${versions[0]}/bin`;
}

async function accepts(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`the private PostgreSQL did not answer in ${timeoutMs} ms`, { cause: error });
      await new Promise((r) => setTimeout(r, 200));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = await binDir();
  const dir = await mkdtemp(join(tmpdir(), 'asmvs-private-pg-'));
  const data = join(dir, 'data');
  const asRoot = userInfo().uid === 0;
  const as = (command: string[]) =>
    asRoot ? ['setpriv', '--reuid=postgres', '--regid=postgres', '--init-groups', '--', ...command] : command;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    await chown(dir, Number(stdout), Number(gid));
  }
  await chmod(dir, 0o700);
  const [initdb, ...initArgs] = as([join(bin, 'initdb'), '-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  await run(initdb as string, initArgs);
  const port = await freePort();
  const command = as([
    join(bin, 'postgres'),
    '-D',
    data,
    '-p',
    String(port),
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    `unix_socket_directories=${dir}`,
    '-c',
    'fsync=off',
  ]);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  let server: WatchedProcess = await startWatched(command, join(dir, 'postgres.log'));
  await accepts(url, 60_000);
  const stop = async () => {
    // SIGQUIT: immediate shutdown, no checkpoint (a crash as far as the data is concerned). The postmaster runs as
    // `postgres` under runuser: signal it by the PID file it writes.
    const pid = Number(
      (await run('head', ['-n', '1', join(data, 'postmaster.pid')]).catch(() => ({ stdout: '' }))).stdout,
    );
    if (pid > 0) process.kill(pid, 'SIGQUIT');
    await server.exited;
  };
  return {
    url,
    stop,
    async start() {
      server = await startWatched(command, join(dir, 'postgres.log'));
      await accepts(url, 60_000);
    },
    async close() {
      await stop().catch(() => undefined);
      server.signal('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
