// `asmvs changes`: which asset-changes to show (--since, --asset, --kind), and from when to read them.
import { parseDuration } from '../durations.ts';
import { AsmvsError } from '../errors.ts';
import { schemaOf } from '../schemas/registry-files.ts';
import type { AssetChange, ChangeKind } from '../schemas/types.gen.ts';

/** The change kinds, as the asset-changes contract lists them. */
export const CHANGE_KINDS: readonly ChangeKind[] = (() => {
  const schema = schemaOf('asset-changes') as { fields: { name: string; type: unknown }[] };
  const kind = schema.fields.find((f) => f.name === 'kind')?.type as { symbols: ChangeKind[] };
  return kind.symbols;
})();

// A calendar date, optionally with a time and a zone: 2026-05-01, 2026-05-01T12:00:00Z, 2026-05-01T12:00+02:00.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;

/** `--since`: an ISO-8601 time, or a duration meaning that long before `now`. Milliseconds since the epoch. */
export function parseSince(text: string, now: number): number {
  const trimmed = text.trim();
  if (ISO_TIME.test(trimmed)) {
    const at = Date.parse(trimmed.replace(' ', 'T'));
    if (!Number.isNaN(at)) return at;
  } else {
    try {
      return now - parseDuration(trimmed);
    } catch {
      // reported below with both accepted forms
    }
  }
  throw new AsmvsError(
    'USAGE',
    `--since ${JSON.stringify(text)} is neither an ISO-8601 time (e.g. 2026-05-01T12:00:00Z) nor a duration ago (e.g. 90m, 1h, 7d)`,
  );
}

/** `--kind`: one of the change kinds, in any case. */
export function parseKind(text: string): ChangeKind {
  const kind = CHANGE_KINDS.find((k) => k === text.trim().toUpperCase());
  if (!kind)
    throw new AsmvsError('USAGE', `--kind ${JSON.stringify(text)} is not a change kind (${CHANGE_KINDS.join(', ')})`);
  return kind;
}

/**
 * How much earlier than --since a read of asset-changes starts, by record timestamp. A record's Kafka timestamp is
 * when its producer sent it, normally after the change was observed, but the clocks of the hosts that observed and
 * produced it may disagree: a change observed at or after --since is missed only if its record's timestamp is more
 * than this before --since. changeMatches still filters by observedAt.
 */
export const SINCE_READ_MARGIN_MS = 5 * 60_000;

/** The record timestamp to start reading asset-changes from, to find the changes observed at or after `since`. */
export function readStartTime(since: number): number {
  return Math.max(0, since - SINCE_READ_MARGIN_MS);
}

export interface ChangeFilter {
  /** Changes observed at or after this time (ms since the epoch). */
  readonly since?: number;
  readonly assetId?: string;
  readonly kind?: ChangeKind;
}

export function changeMatches(change: AssetChange, filter: ChangeFilter): boolean {
  return (
    (filter.since === undefined || change.observedAt >= filter.since) &&
    (filter.assetId === undefined || change.assetId === filter.assetId) &&
    (filter.kind === undefined || change.kind === filter.kind)
  );
}
