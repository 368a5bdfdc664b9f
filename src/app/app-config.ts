// The configuration a command runs with, from the environment: every malformed setting, and every setting the
// command needs but lacks (KAFKA_BROKERS, SCHEMA_REGISTRY_URL), reported at once in one CONFIG_INVALID error.
import type { Config } from '../config/config.ts';
import { loadConfig } from '../config/load.ts';
import type { SettingName } from '../config/schema.ts';

export type Need = 'kafka' | 'registry';

const NEEDS: Readonly<Record<Need, SettingName>> = { kafka: 'KAFKA_BROKERS', registry: 'SCHEMA_REGISTRY_URL' };

export function appConfig(needs: readonly Need[] = []): Config {
  return loadConfig(undefined, { require: needs.map((n) => NEEDS[n]) });
}
