// The names the CLI offers before it loads anything (options, choices, --help): stages, topics, report formats,
// profiles, severities and output formats. Literals on purpose — the topology that defines the stages imports every
// processor — and test/app/names.test.ts keeps each equal to its source.
import type { Severity } from '../schemas/types.gen.ts';

export { FORMATS as REPORT_FORMATS } from '../normalizers/detect-format.ts';
export { SCHEMA_TOPICS } from '../schemas/registry-files.ts';

/** Scan profiles (engines/profiles.ts). */
export const PROFILES = ['fast', 'default', 'full'];

export const STAGE_NAMES = [
  'asm_scheduler',
  'asm_discovery',
  'host_scan',
  'asm_progress',
  'asm_exposure',
  'vs_scan_trigger',
  'vs_result_fetcher',
  'vs_normalization',
  'findings_sink',
  'findings_resolver',
] as const;

/** The stages' input topics; each has a dead-letter topic `<topic>.dlq`. */
export const INPUT_TOPICS = [
  'monitors',
  'discovery-requests',
  'host-scans',
  'discovery-progress',
  'assets',
  'scan-requests',
  'scan-jobs',
  'raw-findings',
  'normalized-findings',
  'scan-results',
] as const;

export const DEAD_LETTER_TOPICS = INPUT_TOPICS.map((t) => `${t}.dlq`);

/** Least severe first, as severityId counts them (1–5). */
export const SEVERITIES: readonly Severity[] = ['INFO', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];

export const OUTPUT_FORMATS = ['table', 'json', 'sarif', 'ocsf', 'dojo', 'html'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
