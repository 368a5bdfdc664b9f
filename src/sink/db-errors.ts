// PostgreSQL failures that a retry can fix (the server is down, restarting, or out of connections) become
// DATABASE_UNAVAILABLE (retryable); anything else is a bug or bad data and propagates unchanged.
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
  return error;
}
