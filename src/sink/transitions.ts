// What an upsert changed, from the rows before and after it. Pure. A row whose last transition was made by the very
// event upserted again (a redelivery after the commit, or a replay) reports that transition once more: the change
// ids are deterministic, so a repeat is recognisable downstream, while a change lost between the commit and its
// publish is not lost.
import type { FindingRow } from './finding-rows.ts';
import type { FindingTransition, UpsertResult } from './open-sink.ts';

export interface UpsertedRow {
  fingerprint: string;
  status: string;
  last_change: string | null;
  last_change_by: string | null;
}

export function transitions(
  rows: readonly FindingRow[],
  statusBefore: ReadonlyMap<string, string>,
  after: readonly UpsertedRow[],
): UpsertResult {
  const eventOf = new Map(rows.map((r) => [r.fingerprint, r.event_id]));
  const opened: string[] = [];
  const reopened: string[] = [];
  const changes: FindingTransition[] = [];
  for (const r of after) {
    const eventId = eventOf.get(r.fingerprint) ?? '';
    const was = statusBefore.get(r.fingerprint);
    if (was === undefined) {
      opened.push(r.fingerprint);
      changes.push({ fingerprint: r.fingerprint, kind: 'FINDING_OPENED', eventId, repeated: false });
    } else if (was === 'RESOLVED' && r.status === 'REOPENED') {
      reopened.push(r.fingerprint);
      changes.push({ fingerprint: r.fingerprint, kind: 'FINDING_REOPENED', eventId, repeated: false });
    } else if (r.last_change_by === eventId && (r.last_change === 'OPENED' || r.last_change === 'REOPENED')) {
      const kind = r.last_change === 'OPENED' ? 'FINDING_OPENED' : 'FINDING_REOPENED';
      changes.push({ fingerprint: r.fingerprint, kind, eventId, repeated: true });
    }
  }
  return { opened, reopened, changes, written: after.length };
}
