// Runs a scanner under its concurrency limit and timeout: the timeout and the caller's signal are merged into one
// AbortSignal, and an abort surfaces as SCANNER_TIMEOUT or ABORTED (both retryable) rather than a half result.
import pLimit, { type LimitFunction } from 'p-limit';
import { AsmvsError } from '../errors.ts';
import type { ScanContext, ScanInput, ScannerRun, Scanner } from './scanner.ts';

const limits = new Map<string, LimitFunction>();

function limitOf(scanner: Scanner): LimitFunction {
  let limit = limits.get(scanner.name);
  if (!limit) {
    limit = pLimit(scanner.concurrency);
    limits.set(scanner.name, limit);
  }
  return limit;
}

export async function runScanner(scanner: Scanner, input: ScanInput, ctx: ScanContext): Promise<ScannerRun> {
  return limitOf(scanner)(async () => {
    if (ctx.signal.aborted) throw new AsmvsError('ABORTED', `${scanner.name} was aborted before it started`);
    const timeoutMs = ctx.timeoutMs ?? scanner.defaultTimeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = AbortSignal.any([ctx.signal, timeout]);
    try {
      return await scanner.run(input, { ...ctx, signal });
    } catch (error) {
      if (timeout.aborted && !ctx.signal.aborted) {
        throw new AsmvsError('SCANNER_TIMEOUT', `${scanner.name} did not finish within ${timeoutMs} ms`, {
          cause: error,
        });
      }
      if (ctx.signal.aborted && !(error instanceof AsmvsError && error.code === 'ABORTED')) {
        throw new AsmvsError('ABORTED', `${scanner.name} was aborted`, { cause: error });
      }
      throw error;
    }
  });
}

export function throwIfAborted(signal: AbortSignal, what: string): void {
  if (signal.aborted) throw new AsmvsError('ABORTED', `${what} was aborted`);
}
