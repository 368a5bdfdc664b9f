// asmvs changes [--since <time>] [--follow] [--json] [--asset <id>] [--kind <KIND>]: what changed on the attack
// surface (asset-changes), as readable lines or JSON lines; --follow keeps printing until SIGINT/SIGTERM (exit 0).
import { Command } from 'commander';
import { changeMatches, parseKind, parseSince, type ChangeFilter } from '../../app/changes-filter.ts';
import { changesFrom } from '../../app/changes-read.ts';
import { loadConfig } from '../../config/load.ts';
import { formatError } from '../exit.ts';
import { readToEnd, readTopic, type ReadRecord } from '../../runtime/kafka/read-topic.ts';
import type { AssetChange } from '../../schemas/types.gen.ts';
import { escapeForTerminal } from '../escape.ts';

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

export function changesCommand(): Command {
  return new Command('changes')
    .description('print what changed on the attack surface (asset-changes); --follow keeps printing new changes')
    .option('--since <time>', 'only changes observed since: an ISO-8601 time, or a duration ago (90m, 1h, 7d)')
    .option('--follow', 'keep printing new changes until interrupted')
    .option('--json', 'one JSON object per change and line')
    .option('--asset <id>', 'only changes of this asset')
    .option('--kind <kind>', 'only changes of this kind, e.g. PORT_OPENED')
    .action(async (opts: ChangesOptions) => {
      const filter: ChangeFilter = {
        since: opts.since === undefined ? undefined : parseSince(opts.since, Date.now()),
        assetId: opts.asset,
        kind: opts.kind === undefined ? undefined : parseKind(opts.kind),
      };
      const config = loadConfig();
      const print = (r: ReadRecord<'asset-changes'>): void => {
        if (r.error)
          process.stderr.write(
            `asmvs: skipped the undecodable record at partition ${r.partition} offset ${r.offset}: ${escapeForTerminal(formatError(r.error))}\n`,
          );
        else if (r.value && changeMatches(r.value, filter))
          process.stdout.write(`${opts.json ? changeJson(r.value) : changeLine(r.value)}\n`);
      };
      // With --since, the read starts at the records produced since shortly before that time, not at the beginning.
      if (!opts.follow) {
        const from = await changesFrom(config, filter.since);
        return readToEnd(config, 'asset-changes', new AbortController().signal, print, from);
      }
      const controller = new AbortController();
      const stop = () => controller.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        const from = await changesFrom(config, filter.since);
        await readTopic(config, 'asset-changes', { from, signal: controller.signal }, print);
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
    });
}
