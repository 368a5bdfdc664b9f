// Exit codes: 0 done; 1 the work failed; 2 the arguments or settings are wrong (nothing was attempted).
import { CommanderError } from 'commander';
import { isAsmvsError, type ErrorCode } from '../errors.ts';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const USAGE_CODES: ReadonlySet<ErrorCode> = new Set([
  'CONFIG_INVALID',
  'USAGE',
  'TARGET_INVALID',
  'TARGET_OUT_OF_SCOPE',
  'TARGET_TOO_LARGE',
]);

export function exitCodeOf(error: unknown): number {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  if (isAsmvsError(error) && USAGE_CODES.has(error.code)) return EXIT_USAGE;
  return EXIT_FAILED;
}

export function formatError(error: unknown): string {
  if (isAsmvsError(error)) return `${error.message} [${error.code}]`;
  if (error instanceof Error) return error.message;
  return String(error);
}
