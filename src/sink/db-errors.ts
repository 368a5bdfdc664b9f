// PostgreSQL failures that a retry can fix (the server is down, restarting, or out of connections) become
// DATABASE_UNAVAILABLE (retryable). Data the server refuses — SQLSTATE class 22 (data exception: U+0000 in text or
// jsonb is 22P05, a malformed value 22P02) and class 23 (integrity constraint violation) — fails the same way on
// every attempt: DATABASE_REJECTED, not retryable, so the event is dead-lettered at once with the reason instead of
// being retried as if the database were down. Anything else is a bug and propagates unchanged.
import { AsmvsError } from '../errors.ts';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
  'EAI_AGAIN',
]);
// SQLSTATE classes 08 (connection), 53 (insufficient resources), 57P (operator intervention: shutdown, restart)
const RETRYABLE_SQLSTATE = /^(08|53|57P0[1-3]|40001|40P01)/;
const REJECTED_SQLSTATE = /^(22|23)[0-9A-Z]{3}$/;

export function toDatabaseError(error: unknown): unknown {
  if (error instanceof AsmvsError) return error;
  const code = error !== null && typeof error === 'object' && 'code' in error ? String(error.code) : '';
  const message = error instanceof Error ? error.message : String(error);
  if (
    NETWORK_CODES.has(code) ||
    RETRYABLE_SQLSTATE.test(code) ||
    /Connection terminated|timeout exceeded when trying to connect/i.test(message)
  ) {
    return new AsmvsError('DATABASE_UNAVAILABLE', `PostgreSQL is unavailable: ${message}`, {
      cause: error,
      details: { code },
    });
  }
  if (REJECTED_SQLSTATE.test(code)) {
    return new AsmvsError('DATABASE_REJECTED', `PostgreSQL refused the data (SQLSTATE ${code}): ${message}`, {
      cause: error,
      details: { code },
    });
  }
  return error;
}
