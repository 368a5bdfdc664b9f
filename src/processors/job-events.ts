// The job-status protocol, typed: what each stage reports about a request, written only through these builders and
// read back only through readJobEvent, so that whoever follows a request (the CLI, `asmvs status`) never matches
// stage-name strings or count keys of its own.
import type { ProgressCounts } from '../discovery/progress-count.ts';
import type { AsmvsError } from '../errors.ts';
import { derivedEventId } from '../ids.ts';
import type { JobStatus } from '../schemas/types.gen.ts';
import { jobStatus } from './job-status.ts';

/** A discovery request's host counts: the addresses it expanded to, how many are done, and asm_progress's tallies. */
export interface HostCounts extends ProgressCounts {
  readonly addresses: number;
  readonly done: number;
}

export type JobEvent =
  | { readonly type: 'accepted' }
  | { readonly type: 'expanding' }
  /** `complete`: every host the expansion announced is done (the total is final). */
  | { readonly type: 'hosts'; readonly complete: boolean; readonly total: number | null; readonly counts: HostCounts }
  | { readonly type: 'asset-judged'; readonly assetId: string; readonly scanRequested: boolean }
  | { readonly type: 'scan-started'; readonly scanId: string }
  /** The scan's scanners are done: `outputs` raw reports went to normalization. */
  | { readonly type: 'scan-fetched'; readonly scanId: string; readonly outputs: number }
  | { readonly type: 'scan-normalized'; readonly scanId: string; readonly findings: number }
  | {
      readonly type: 'failed';
      readonly stage: string;
      readonly subject: string | null;
      readonly reason: string;
      readonly code: string | null;
    };

const HOST_KEYS = ['addresses', 'done', 'up', 'down', 'failed', 'assets', 'openPorts', 'unresolved'] as const;

export function requestAccepted(requestId: string, message: string, now: number): JobStatus {
  return jobStatus('cli', requestId, 'ACCEPTED', { message }, now);
}

export function discoveryExpanding(requestId: string, message: string, now: number): JobStatus {
  return jobStatus('asm_discovery', requestId, 'RUNNING', { message }, now);
}

export function hostsReport(
  requestId: string,
  o: { complete: boolean; total: number | null; counts: HostCounts; message: string },
  now: number,
): JobStatus {
  return jobStatus(
    'asm_progress',
    requestId,
    o.complete ? 'COMPLETED' : 'PROGRESS',
    { message: o.message, done: o.counts.done, total: o.total, counts: { ...o.counts } },
    now,
  );
}

export function assetJudged(
  requestId: string,
  o: { assetId: string; scanRequested: boolean; message: string },
  now: number,
): JobStatus {
  return jobStatus(
    'asm_exposure',
    requestId,
    'PROGRESS',
    { subject: o.assetId, message: o.message, counts: { scanRequests: o.scanRequested ? 1 : 0 } },
    now,
  );
}

export function scanStarted(requestId: string, scanId: string, message: string, now: number): JobStatus {
  return jobStatus('vs_scan_trigger', requestId, 'RUNNING', { subject: scanId, message }, now);
}

export function scanFetched(
  requestId: string,
  o: { scanId: string; outputs: number; message: string },
  now: number,
): JobStatus {
  return jobStatus(
    'vs_result_fetcher',
    requestId,
    'PROGRESS',
    { subject: o.scanId, message: o.message, counts: { rawFindings: o.outputs } },
    now,
  );
}

/** One raw report of a scan normalized. Derived from the report alone (vs_normalization is pure). */
export function scanNormalized(
  requestId: string,
  o: { scanId: string; rawEventId: string; findings: number; message: string },
  at: number,
): JobStatus {
  return jobStatus(
    'vs_normalization',
    requestId,
    'PROGRESS',
    { subject: o.scanId, message: o.message, counts: { findings: o.findings } },
    at,
    derivedEventId('normalized', o.rawEventId),
  );
}

export function stageFailed(
  stage: string,
  requestId: string,
  error: AsmvsError,
  now: number,
  subject: string | null = null,
): JobStatus {
  return jobStatus(stage, requestId, 'FAILED', { subject, message: error.message, errorCode: error.code }, now);
}

/** The protocol event a status carries; undefined for statuses nobody follows (e.g. a scheduled rescan's). */
export function readJobEvent(s: JobStatus): JobEvent | undefined {
  if (s.state === 'FAILED')
    return {
      type: 'failed',
      stage: s.stage,
      subject: s.subject,
      reason: s.message ?? 'failed',
      code: s.errorCode,
    };
  const subject = s.subject ?? '';
  switch (`${s.stage}:${s.state}`) {
    case 'cli:ACCEPTED':
      return { type: 'accepted' };
    case 'asm_discovery:RUNNING':
      return { type: 'expanding' };
    case 'asm_progress:PROGRESS':
    case 'asm_progress:COMPLETED':
      return {
        type: 'hosts',
        complete: s.state === 'COMPLETED',
        total: s.total,
        counts: Object.fromEntries(HOST_KEYS.map((k) => [k, s.counts[k] ?? 0])) as unknown as HostCounts,
      };
    case 'asm_exposure:PROGRESS':
      return { type: 'asset-judged', assetId: subject, scanRequested: (s.counts['scanRequests'] ?? 0) > 0 };
    case 'vs_scan_trigger:RUNNING':
      return { type: 'scan-started', scanId: subject };
    case 'vs_result_fetcher:PROGRESS':
      return { type: 'scan-fetched', scanId: subject, outputs: s.counts['rawFindings'] ?? 0 };
    case 'vs_normalization:PROGRESS':
      return { type: 'scan-normalized', scanId: subject, findings: s.counts['findings'] ?? 0 };
    default:
      return undefined;
  }
}
