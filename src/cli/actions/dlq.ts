// `asmvs dlq`: counts, records and re-drives, printed for people or as JSON lines.
import { createApp } from '../../app/app.ts';
import { appConfig } from '../../app/app-config.ts';
import type { DeadLetter } from '../../app/dlq.ts';
import { parsePosition, type Selection } from '../../app/dead-letters.ts';
import { AsmvsError } from '../../app/errors.ts';
import { escapeForTerminal } from '../escape.ts';
import { interruptible } from '../interrupt.ts';
import { toJsonLine } from '../json-line.ts';
import { renderTable } from '../table.ts';

interface SelectionOptions {
  code?: string[];
  record?: string[];
  all?: boolean;
}

function selectionOf(o: SelectionOptions, required: boolean): Selection {
  const records = (o.record ?? []).map((text) => {
    const position = parsePosition(text);
    if (!position)
      throw new AsmvsError('USAGE', `--record ${JSON.stringify(text)}: write partition:offset, e.g. 3:120`);
    return position;
  });
  const codes = (o.code ?? []).map((c) => c.trim().toUpperCase());
  const none = !o.all && codes.length === 0 && records.length === 0;
  // Re-driving sends records back into the pipeline: say which, never all by default.
  if (required && none) throw new AsmvsError('USAGE', 'say which records: --all, --code <code> or --record <p:o>');
  return none ? { all: true } : { all: o.all === true, codes, records };
}

async function withApp<T>(work: (app: ReturnType<typeof createApp>, signal: AbortSignal) => Promise<T>): Promise<T> {
  const app = createApp(appConfig(['kafka', 'registry']));
  const interrupt = interruptible();
  try {
    return await work(app, interrupt.signal);
  } finally {
    interrupt.dispose();
    await app.close();
  }
}

export function list(topics: string[], opts: { json?: boolean }): Promise<void> {
  return withApp(async (app, signal) => {
    const counts = await app.dlq.list(topics, signal);
    if (opts.json) {
      for (const c of counts) process.stdout.write(`${JSON.stringify(c)}\n`);
      return;
    }
    const codes = (c: (typeof counts)[number]) =>
      Object.entries(c.byCode)
        .sort((a, b) => b[1] - a[1])
        .map(([code, n]) => `${code} ${n}`)
        .join(', ');
    process.stdout.write(
      renderTable(
        ['topic', 'records', 're-driven', 'by error code'],
        counts.map((c) => [c.topic, c.exists ? String(c.records) : 'missing', String(c.redriven), codes(c)]),
      ),
    );
  });
}

function deadLetterText(d: DeadLetter): string {
  const f = d.failure;
  const text = (s: string | null) => (s === null ? '-' : escapeForTerminal(s));
  const value = d.error ? `undecodable: ${d.error.message} [${d.error.code}]` : toJsonLine(d.value);
  return [
    `${d.topic} ${d.partition}:${d.offset}  ${d.timestamp}  key ${text(d.key)}`,
    `  failed in ${text(f.stage)} with ${text(f.code)} after ${f.attempts ?? '?'} attempts at ${text(f.at)}`,
    `  source ${text(f.sourceTopic)} ${f.sourcePartition ?? '?'}:${text(f.sourceOffset)}`,
    `  message ${text(f.message)}`,
    ...Object.entries(d.headers).map(([k, v]) => `  header ${escapeForTerminal(k)}: ${escapeForTerminal(v)}`),
    `  value ${escapeForTerminal(value)}`,
    '',
  ].join('\n');
}

export function show(topic: string, opts: SelectionOptions & { max?: string; json?: boolean }): Promise<void> {
  const max = opts.max === undefined ? Infinity : Number(opts.max);
  if (!(max >= 1) || (max !== Infinity && !Number.isSafeInteger(max)))
    throw new AsmvsError('USAGE', `--max must be a whole number of at least 1, got ${JSON.stringify(opts.max)}`);
  const selection = selectionOf(opts, false);
  return withApp(async (app, signal) => {
    let printed = 0;
    await app.dlq.show(topic, { selection, signal }, (d) => {
      process.stdout.write(opts.json ? `${toJsonLine(d)}\n` : `${deadLetterText(d)}\n`);
      printed += 1;
      return printed >= max ? 'stop' : undefined;
    });
    if (printed === 0 && !opts.json) process.stdout.write('no dead letters selected\n');
  });
}

export function redrive(topic: string, opts: SelectionOptions & { dryRun?: boolean; again?: boolean }): Promise<void> {
  const selection = selectionOf(opts, true);
  return withApp(async (app, signal) => {
    const result = await app.dlq.redrive(topic, {
      selection,
      dryRun: opts.dryRun === true,
      again: opts.again === true,
      signal,
    });
    if (!result.ledger)
      process.stderr.write(
        'asmvs: no ledger of re-drives (asmvs topics create makes it): records re-driven before are sent again\n',
      );
    const verb = opts.dryRun ? 'would re-drive' : 're-drove';
    for (const r of result.redriven)
      process.stdout.write(`${verb} ${r.partition}:${r.offset} (${r.code ?? 'no code'}) to ${result.source}\n`);
    for (const r of result.refused)
      process.stderr.write(
        `asmvs: not re-driven ${r.partition}:${r.offset}: it names another source topic (${escapeForTerminal(r.sourceTopic)})\n`,
      );
    for (const r of result.skipped)
      process.stdout.write(`skipped ${r.partition}:${r.offset}: re-driven before (--again sends it again)\n`);
    process.stdout.write(
      `${verb} ${result.redriven.length} records to ${result.source}` +
        (result.skipped.length > 0 ? `; skipped ${result.skipped.length} re-driven before\n` : '\n'),
    );
  });
}
