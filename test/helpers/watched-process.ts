// A long-running helper process a test owns (a private broker, a private PostgreSQL), started under a watchdog that
// kills it when the test process is gone: a test that crashes or is killed leaves nothing running. Argument arrays
// only, no shell interpolation of values (the watchdog script is fixed; the command comes in as "$@").
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';

// The command runs in the background; its PID is printed; the loop ends when it exits or when the test process (the
// first argument) is gone, and then it is killed for good.
const WATCHDOG = [
  'parent=$1; shift',
  '"$@" & child=$!',
  'echo "$child"',
  'while kill -0 "$parent" 2>/dev/null && kill -0 "$child" 2>/dev/null; do sleep 1; done',
  'kill -9 "$child" 2>/dev/null',
  'wait "$child"',
].join('\n');

export interface WatchedProcess {
  /** The command's own PID (not the watchdog's). */
  readonly pid: number;
  /** Resolves when the command has exited. */
  readonly exited: Promise<void>;
  signal(signal: NodeJS.Signals): void;
}

export async function startWatched(command: readonly string[], logFile: string): Promise<WatchedProcess> {
  const log = createWriteStream(logFile, { flags: 'a' });
  const watchdog: ChildProcess = spawn('bash', ['-c', WATCHDOG, 'watchdog', String(process.pid), ...command], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  watchdog.stderr?.pipe(log);
  const exited = new Promise<void>((resolve) => watchdog.once('exit', () => resolve()));
  const pid = await new Promise<number>((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const newline = text.indexOf('\n');
      if (newline < 0) return;
      watchdog.stdout?.off('data', onData);
      watchdog.stdout?.pipe(log);
      resolve(Number(text.slice(0, newline)));
    };
    watchdog.stdout?.on('data', onData);
    watchdog.once('exit', () => reject(new Error(`${command[0]} did not start (see ${logFile})`)));
  });
  return {
    pid,
    exited,
    signal: (signal) => {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    },
  };
}
