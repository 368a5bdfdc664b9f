// The package version, stamped on every event as producer.version.
import { readFileSync } from 'node:fs';

export const VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The producer an event names: the stage that made it, at this version. */
export function producerOf(stage: string): { stage: string; version: string } {
  return { stage, version: VERSION };
}
