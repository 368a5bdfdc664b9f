// Spawns test/helpers/fixtures/stage-process.ts as a child (process.execPath, argument array, no shell) and
// watches its JSON log lines.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KAFKA_BROKERS, SCHEMA_REGISTRY_URL } from './stack.ts';

const SCRIPT = fileURLToPath(new URL('./fixtures/stage-process.ts', import.meta.url));

export interface StageProcess {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  /** Resolves when the stage logged its partition assignment. */
  readonly assigned: Promise<void>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Spawns the echo-processor fixture as `stage`, or another fixture script (`script`, relative to fixtures/). */
export function spawnStage(stage: string, env: Record<string, string>, script?: string): StageProcess {
  const path = script ? fileURLToPath(new URL(`./fixtures/${script}`, import.meta.url)) : SCRIPT;
  return spawnWatched([path, stage], env);
}

/** Runs `node <args>` (no shell) against the stack, watching its log lines. */
export function spawnWatched(args: readonly string[], env: Record<string, string>): StageProcess {
  const child = spawn(process.execPath, args, {
    env: {
      PATH: process.env['PATH'] ?? '',
      KAFKA_BROKERS,
      SCHEMA_REGISTRY_URL,
      METRICS_PORT: '0',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  const stderr: string[] = [];
  let onAssigned: () => void = () => undefined;
  const assigned = new Promise<void>((resolve) => (onAssigned = resolve));
  let buffer = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      stdout.push(line);
      if (line.includes('"msg":"assigned"')) onAssigned();
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout, stderr, assigned, exited };
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>(
      (_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms)),
    ),
  ]);
}
