// `asmvs normalize`: a scanner report on disk or stdin → platform findings, through the ReportNormalizer that
// vs_normalization runs (normalizeRaw is the same normalizer fed one payload), so the findings are the stage's.
// The report streams (its bytes are never held whole); what is kept is one entry per distinct finding.
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { AsmvsError } from '../errors.ts';
import { stableId } from '../ids.ts';
import { canonicalFormat, createReportNormalizer, FORMATS } from '../normalizers/index.ts';
import type { ReportFormat } from '../normalizers/index.ts';
import type { Finding } from '../schemas/types.gen.ts';
import { producerOf } from '../version.ts';

export type ReportInput =
  { readonly path: string } | { readonly stream: AsyncIterable<Uint8Array>; readonly name: string };

export interface NormalizeReportOptions {
  /** A format name or alias; detected from the report when absent. */
  readonly format?: string;
  /** The scan target recorded with the findings (part of code and package fingerprints); default the file's name. */
  readonly target?: string;
  /** The scan's time (first/last seen); default now. */
  readonly now?: number;
  /** Most distinct findings (default: the stage's cap, so the CLI accepts exactly what the stage does). */
  readonly maxFindings?: number;
}

export interface NormalizedReport {
  readonly format: ReportFormat;
  /** Distinct findings in report order, with final occurrence counts. */
  readonly findings: Finding[];
  readonly complete: boolean;
  readonly bytes: number;
}

const CHUNK = 1024 * 1024;

export async function normalizeReport(
  input: ReportInput,
  options: NormalizeReportOptions = {},
): Promise<NormalizedReport> {
  if (options.format !== undefined && !canonicalFormat(options.format)) {
    throw new AsmvsError(
      'USAGE',
      `unknown format ${JSON.stringify(options.format)}; the formats are: ${FORMATS.join(', ')}`,
    );
  }
  const { name, source, close } =
    'path' in input ? await openFile(input.path) : { ...input, source: input.stream, close: async () => {} };
  const now = options.now ?? Date.now();
  const id = stableId('normalize', name, now).slice(0, 32);
  const raw = {
    eventId: id,
    requestId: id,
    producedAt: now,
    producer: producerOf('cli'),
    scanId: id,
    assetId: null,
    target: options.target ?? name,
    address: null,
    scanner: { name: '', version: null },
    format: options.format ?? '',
    truncated: false,
    complete: true,
    part: 0,
    parts: 1,
    startedAt: now,
    finishedAt: now,
  };
  try {
    const normalizer = createReportNormalizer(
      raw,
      { topic: 'file', partition: 0, offset: 0 },
      {
        now,
        ...(options.maxFindings !== undefined ? { maxFindings: options.maxFindings } : {}),
      },
    );
    for await (const chunk of source) normalizer.write(chunk);
    const result = normalizer.end();
    return { format: result.format, findings: result.findings, complete: result.complete, bytes: result.bytes };
  } finally {
    await close();
  }
}

async function openFile(
  path: string,
): Promise<{ name: string; source: AsyncIterable<Uint8Array>; close(): Promise<void> }> {
  const handle = await open(path).catch((error: unknown) => {
    throw new AsmvsError(
      'USAGE',
      `cannot read the report ${JSON.stringify(path)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { cause: error },
    );
  });
  const stat = await handle.stat();
  if (!stat.isFile()) {
    await handle.close();
    throw new AsmvsError('USAGE', `the report ${JSON.stringify(path)} is not a file`);
  }
  const stream = handle.createReadStream({ highWaterMark: CHUNK, autoClose: false });
  return { name: basename(path), source: stream, close: () => handle.close() };
}
