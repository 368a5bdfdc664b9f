// A child process's stdout with a byte cap: past the cap the process is killed and the output marked truncated,
// so a runaway tool can never exhaust memory.
import { AsmvsError } from '../../errors.ts';
import type { SpawnedProcess } from './scanner-io.ts';

export interface CollectedOutput {
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly exitCode: number | null;
  readonly truncated: boolean;
}

export function collectOutput(
  child: SpawnedProcess,
  maxBytes: number,
  onChunk?: (chunk: Buffer) => void,
): Promise<CollectedOutput> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (truncated) return;
      const room = maxBytes - size;
      const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
      chunks.push(kept);
      size += kept.length;
      try {
        onChunk?.(kept);
      } catch (error) {
        child.kill('SIGKILL');
        reject(error);
      }
      if (chunk.length > room) {
        truncated = true;
        child.kill('SIGKILL');
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 16_384) stderr += chunk.toString('utf8').slice(0, 16_384 - stderr.length);
    });
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT')
        reject(
          new AsmvsError('SCANNER_NOT_INSTALLED', `${child.spawnfile} is not installed (not found on PATH)`, {
            cause: error,
          }),
        );
      else if (error.name === 'AbortError')
        reject(new AsmvsError('ABORTED', `${child.spawnfile} was aborted`, { cause: error }));
      else reject(new AsmvsError('SCANNER_FAILED', `${child.spawnfile} failed: ${error.message}`, { cause: error }));
    });
    child.once('close', (code) => resolve({ stdout: Buffer.concat(chunks, size), stderr, exitCode: code, truncated }));
  });
}
