// Builds job-status events (DESIGN.md §1): every stage reports accepted, running, progress, completed, failed.
import { randomUUID } from 'node:crypto';
import type { JobState, JobStatus } from '../schemas/types.gen.ts';
import { producerOf } from '../version.ts';

export interface StatusFields {
  readonly subject?: string | null;
  readonly message?: string | null;
  readonly errorCode?: string | null;
  readonly done?: number | null;
  readonly total?: number | null;
  readonly counts?: Record<string, number>;
}

export function jobStatus(
  stage: string,
  requestId: string,
  state: JobState,
  fields: StatusFields,
  /** The stage's clock (deps.now), or a time from the event itself in a pure stage. */
  now: number,
  /** A pure stage derives it from its input (ids.ts); others get a random one. */
  eventId: string = randomUUID(),
): JobStatus {
  return {
    eventId,
    requestId,
    producedAt: now,
    producer: producerOf(stage),
    stage,
    state,
    subject: fields.subject ?? null,
    message: fields.message ?? null,
    errorCode: fields.errorCode ?? null,
    done: fields.done ?? null,
    total: fields.total ?? null,
    counts: fields.counts ?? {},
  };
}
