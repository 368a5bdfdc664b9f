// Connection facts for integration suites: the local stack started by `npm run stack:up` (or any stack named
// by KAFKA_BROKERS / SCHEMA_REGISTRY_URL), and unique names so that suites never share topics or groups.
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/config.ts';

export const KAFKA_BROKERS = process.env['KAFKA_BROKERS'] || '127.0.0.1:9092';
export const SCHEMA_REGISTRY_URL = process.env['SCHEMA_REGISTRY_URL'] || 'http://127.0.0.1:8081/apis/ccompat/v7';

/** A prefix no other test run uses, e.g. `t-1a2b3c4d.`; topics and subjects under it belong to one test. */
export function uniquePrefix(label = 't'): string {
  return `${label}-${randomBytes(4).toString('hex')}.`;
}

/** A validated config pointing at the test stack, with overrides as environment variables. */
export function stackConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ KAFKA_BROKERS, SCHEMA_REGISTRY_URL, LOG_LEVEL: 'silent', METRICS_PORT: '0', ...env });
}
