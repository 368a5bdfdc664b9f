// The .avsc contracts on disk, one per topic value, read once.
import { readFileSync } from 'node:fs';

export const SCHEMA_TOPICS = [
  'discovery-requests',
  'host-scans',
  'discovery-progress',
  'assets',
  'scan-requests',
  'scan-jobs',
  'raw-findings',
  'normalized-findings',
  'job-status',
  'asset-changes',
  'scan-results',
  'monitors',
  'keyed-state',
] as const;

export type SchemaTopic = (typeof SCHEMA_TOPICS)[number];

/** The runtime's own records (not events: they carry no eventId or requestId). */
export const INTERNAL_SCHEMA_TOPICS: readonly SchemaTopic[] = ['keyed-state'];

const cache = new Map<SchemaTopic, object>();

/** The parsed Avro schema (JSON) of a topic's values. */
export function schemaOf(topic: SchemaTopic): object {
  let schema = cache.get(topic);
  if (!schema) {
    schema = JSON.parse(readFileSync(new URL(`./${topic}.avsc`, import.meta.url), 'utf8')) as object;
    cache.set(topic, schema);
  }
  return schema;
}
