// The PostgreSQL side of findings_sink and findings_resolver: one pool, migrations applied once before the first
// write (a failed attempt is tried again on the next event), upserts coalesced into shared transactions.
import type { FindingsResolverDeps } from '../processors/findings-resolver.ts';
import type { FindingsSinkDeps } from '../processors/findings-sink.ts';
import { DEFAULT_RESOLVE_WAIT_MS } from '../config/schema.ts';
import { openSink } from '../sink/index.ts';
import { upsertBatcher } from '../sink/upsert-batcher.ts';

export interface SinkDeps {
  readonly sink: FindingsSinkDeps;
  readonly resolver: FindingsResolverDeps;
  close(): Promise<void>;
}

/** `resolveWaitMs`: how long a complete scan waits for its findings (RESOLVE_WAIT_MS). */
export function sinkDeps(
  databaseUrl: string,
  now: () => number = Date.now,
  resolveWaitMs = DEFAULT_RESOLVE_WAIT_MS,
): SinkDeps {
  const db = openSink(databaseUrl);
  let migrated: Promise<unknown> | undefined;
  const ready = () => {
    migrated ??= db.migrate().catch((error: unknown) => {
      migrated = undefined;
      throw error;
    });
    return migrated;
  };
  const upsert = upsertBatcher(async (findings) => {
    await ready();
    return db.upsertFindings(findings);
  });
  return {
    sink: { upsert, now },
    resolver: {
      resolveScan: async (scan) => {
        await ready();
        return db.resolveScan(scan);
      },
      now,
      waitMs: resolveWaitMs,
    },
    close: () => db.close(),
  };
}
