export { openSink } from './open-sink.ts';
export type { CompletedScan, FindingsSink, UpsertResult } from './open-sink.ts';
export { loadMigrations, migrate } from './migrate.ts';
export type { ScanResolution, ScanSummary } from './resolve-scan.ts';
