// In-process helpers for runtime tests: a silent logger and default runtime settings.
import pino from 'pino';
import type { RuntimeSettings } from '../../src/runtime/options.ts';

export const silent = pino({ level: 'silent' });

export function runtimeSettings(overrides: Partial<RuntimeSettings> = {}): RuntimeSettings {
  return {
    concurrency: 8,
    maxInFlight: 1_000,
    retry: { maxAttempts: 3, baseMs: 1, maxMs: 5 },
    shutdownDeadlineMs: 5_000,
    exactlyOnce: false,
    ...overrides,
  };
}
