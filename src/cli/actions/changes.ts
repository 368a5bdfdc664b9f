// `asmvs changes`: asset-changes as readable lines or JSON lines; --follow until interrupted.
import { createApp, type AssetChange } from '../../app/app.ts';
import { appConfig } from '../../app/app-config.ts';
import { parseKind, parseSince, type ChangeFilter } from '../../app/changes-filter.ts';
import { escapeForTerminal } from '../escape.ts';
import { formatError } from '../exit.ts';
import { interruptible } from '../interrupt.ts';

/** One readable line: time, kind, subject, before → after, asset, request. Every string from the event is escaped. */
export function changeLine(change: AssetChange): string {
  const text = (s: string | null) => (s === null ? '-' : escapeForTerminal(s));
  const transition =
    change.before === null && change.after === null ? '' : `  ${text(change.before)} → ${text(change.after)}`;
  return (
    `${new Date(change.observedAt).toISOString()}  ${change.kind.padEnd(19)}  ${text(change.subject)}${transition}` +
    `  asset ${text(change.assetId)}  request ${text(change.requestId)}`
  );
}

/** One JSON object per change; times in ISO-8601. JSON escapes control characters itself. */
export function changeJson(change: AssetChange): string {
  return JSON.stringify({
    observedAt: new Date(change.observedAt).toISOString(),
    kind: change.kind,
    subject: change.subject,
    before: change.before,
    after: change.after,
    assetId: change.assetId,
    requestId: change.requestId,
    changeId: change.changeId,
    eventId: change.eventId,
    producedAt: new Date(change.producedAt).toISOString(),
    producer: change.producer,
  });
}

interface ChangesOptions {
  since?: string;
  follow?: boolean;
  json?: boolean;
  asset?: string;
  kind?: string;
}

export async function changes(opts: ChangesOptions): Promise<void> {
  const filter: ChangeFilter = {
    since: opts.since === undefined ? undefined : parseSince(opts.since, Date.now()),
    assetId: opts.asset,
    kind: opts.kind === undefined ? undefined : parseKind(opts.kind),
  };
  const app = createApp(appConfig(['kafka', 'registry']));
  const interrupt = interruptible();
  try {
    await app.changes(filter, { follow: opts.follow === true, signal: interrupt.signal }, (r) => {
      if (r.error)
        process.stderr.write(
          `asmvs: skipped the undecodable record at partition ${r.partition} offset ${r.offset}: ${formatError(r.error)}\n`,
        );
      else if (r.value) process.stdout.write(`${opts.json ? changeJson(r.value) : changeLine(r.value)}\n`);
    });
  } catch (error) {
    if (!interrupt.signal.aborted) throw error;
  } finally {
    interrupt.dispose();
    await app.close();
  }
}
