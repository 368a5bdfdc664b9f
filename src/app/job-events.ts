// Job status as the CLI reads it: the typed protocol of processors/job-events.ts.
export { readJobEvent, type HostCounts, type JobEvent } from '../processors/job-events.ts';
export type { JobStatus } from '../schemas/types.gen.ts';
