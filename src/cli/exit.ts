// Exit codes (the README's table): 0 done; 1 the work failed; 2 the arguments or settings are wrong (nothing was
// attempted); 3 (`status`) the request is still running or unknown; 4 findings at or above --fail-on; interrupted
// by Ctrl-C: the process ends by SIGINT (130 to a shell, which then stops its loop).
import { CommanderError } from 'commander';
import { isAsmvsError, type ErrorCode } from '../app/errors.ts';
import { escapeForTerminal } from './escape.ts';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;
export const EXIT_RUNNING = 3;
export const EXIT_FINDINGS = 4;

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

/** One message for the terminal: the code of ours, escaped (a target or a banner may be in it). */
export function formatError(error: unknown): string {
  if (isAsmvsError(error)) return `${escapeMessage(error.message)} [${error.code}]`;
  if (error instanceof Error) return escapeMessage(error.message);
  return escapeMessage(String(error));
}

/** Line breaks stay line breaks (a configuration error lists one variable a line); the rest is escaped. */
function escapeMessage(text: string): string {
  return text.split('\n').map(escapeForTerminal).join('\n');
}

/** Whether a usage hint helps: an option or argument was wrong (not a setting, nor a target the scope refuses). */
export function isUsageError(error: unknown): boolean {
  return error instanceof CommanderError ? error.exitCode !== 0 : isAsmvsError(error) && error.code === 'USAGE';
}
