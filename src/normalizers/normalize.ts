// The two entry points: normalizeRaw (one raw event in memory → its findings; what vs_normalization calls) and
// normalizeStream (a report of any size as a byte stream → batches of findings; what `asmvs normalize` uses for
// files). Both run the same parsers and mapping, so a report gives the same findings either way.
import type { Finding, RawFinding, ScanCoverage } from '../schemas/types.gen.ts';
import { coverageCollector, type CoverageRecorder } from './coverage.ts';
import { AsmvsError } from '../errors.ts';
import type { Draft, ParseContext } from './draft.ts';
import { canonicalFormat, detectFormat } from './detect-format.ts';
import type { ReportFormat } from './detect-format.ts';
import { findingContext, findingFromDraft } from './finding-from-draft.ts';
import type { FindingContext, RawMeta, RawProvenance } from './finding-from-draft.ts';
import { ReportDeduplicator, StreamDeduplicator } from './dedup.ts';
import { PARSERS } from './formats/index.ts';
import { NORMALIZER_VERSION } from './version.ts';

export interface NormalizeOptions {
  normalizerVersion?: string;
  /** producedAt of the findings (ms); default: the clock. Nothing else depends on it. */
  now?: number;
  /** Overrides the raw event's declared format. */
  format?: string;
  /** Largest report accepted, in bytes. Default 256 MiB. */
  maxReportBytes?: number;
  /** normalizeRaw: most distinct findings returned (default 100,000). normalizeStream: most remembered (default 2,000,000). */
  maxFindings?: number;
  /** normalizeStream: findings per yielded batch (default 1,000). */
  batchSize?: number;
  /** JSON reports up to this many bytes are parsed whole with JSON.parse; larger ones stream. Default 8 MiB. */
  jsonTreeLimit?: number;
}

export interface NormalizeResult {
  format: ReportFormat;
  /** Distinct findings in report order, each with its occurrence count. */
  findings: Finding[];
  /** The scan ran to the end and its output was not cut: only then may a sink resolve what it no longer reports. */
  complete: boolean;
  /** What the scan looked at (coverage.ts); null: its asset whole. */
  coverage: ScanCoverage | null;
}

const MiB = 1024 * 1024;
const SLICE = MiB;
const DETECT_BYTES = 64 * 1024;

/** Pure apart from the clock when `now` is not given. Throws AsmvsError (REPORT_*, OUTPUT_TOO_LARGE) on bad input. */
export function normalizeRaw(
  raw: RawFinding,
  provenance: RawProvenance,
  options: NormalizeOptions = {},
): NormalizeResult {
  refuseTruncated(raw);
  const maxBytes = options.maxReportBytes ?? 256 * MiB;
  if (raw.payload.length > maxBytes) {
    throw new AsmvsError(
      'OUTPUT_TOO_LARGE',
      `the report is ${raw.payload.length} bytes, more than the ${maxBytes} accepted`,
    );
  }
  const format = resolveFormat(options.format ?? raw.format, raw.payload);
  const ctx = contextOf(raw, provenance, options);
  const dedup = new ReportDeduplicator(options.maxFindings ?? 100_000);
  let selfDeclaredPartial = false;
  const coverage = coverageCollector();
  const parser = PARSERS[format](
    parseContext(raw, options, () => (selfDeclaredPartial = true), coverage),
    (d: Draft) => dedup.add(findingFromDraft(d, ctx)),
  );
  // slices keep the tokenizers' working strings small; the payload itself is already in memory
  for (let i = 0; i < raw.payload.length; i += SLICE) parser.write(raw.payload.subarray(i, i + SLICE));
  parser.end();
  return {
    format,
    findings: dedup.findings(),
    complete: raw.complete && !raw.truncated && !selfDeclaredPartial,
    coverage: coverage.coverage(),
  };
}

export interface StreamSummary {
  format: ReportFormat;
  distinct: number;
  bytes: number;
  complete: boolean;
}

/**
 * Streams a report: yields batches of findings as they are parsed, then (once the report has ended and parsed
 * completely) the findings that repeated, with their final occurrence counts. If the report turns out to be
 * malformed or too large the generator throws: batches already yielded came from an incomplete report, so the
 * caller must not treat the scan as complete (no completeScan).
 */
export async function* normalizeStream(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  raw: RawMeta,
  provenance: RawProvenance,
  options: NormalizeOptions = {},
): AsyncGenerator<Finding[], StreamSummary> {
  refuseTruncated(raw);
  const maxBytes = options.maxReportBytes ?? 256 * MiB;
  const batchSize = options.batchSize ?? 1000;
  const ctx = contextOf(raw, provenance, options);
  const dedup = new StreamDeduplicator(options.maxFindings ?? 2_000_000, 100_000);
  let batch: Finding[] = [];
  let parser: ReturnType<(typeof PARSERS)[ReportFormat]> | null = null;
  let format: ReportFormat | null = null;
  let bytes = 0;
  let selfDeclaredPartial = false;
  const onDraft = (d: Draft) => {
    const f = dedup.add(findingFromDraft(d, ctx));
    if (f) batch.push(f);
  };
  // detection needs the head of the report: hold chunks until there is enough of it (or the report ends)
  let head: Uint8Array[] = [];
  let headBytes = 0;
  const start = () => {
    const all = Buffer.concat(head);
    format = resolveFormat(options.format ?? raw.format, all);
    head = [];
    const p = PARSERS[format](
      parseContext(raw, options, () => (selfDeclaredPartial = true), coverageCollector()),
      onDraft,
    );
    for (let i = 0; i < all.length; i += SLICE) p.write(all.subarray(i, i + SLICE));
    return p;
  };
  for await (const chunk of source) {
    bytes += chunk.length;
    if (bytes > maxBytes)
      throw new AsmvsError('OUTPUT_TOO_LARGE', `the report is larger than the ${maxBytes} bytes accepted`);
    if (!parser) {
      head.push(chunk);
      headBytes += chunk.length;
      if (headBytes >= DETECT_BYTES) parser = start();
    } else {
      for (let i = 0; i < chunk.length; i += SLICE) parser.write(chunk.subarray(i, i + SLICE));
    }
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (!parser && headBytes > 0) parser = start();
  if (!parser || !format) throw new AsmvsError('REPORT_UNPARSEABLE', 'the report is empty');
  parser.end();
  if (batch.length > 0) yield batch;
  const corrections = dedup.corrections();
  for (let i = 0; i < corrections.length; i += batchSize) yield corrections.slice(i, i + batchSize);
  return { format, distinct: dedup.distinct, bytes, complete: raw.complete && !raw.truncated && !selfDeclaredPartial };
}

function refuseTruncated(raw: RawMeta): void {
  if (raw.truncated) {
    throw new AsmvsError(
      'OUTPUT_TOO_LARGE',
      'the scanner output hit its byte cap; a cut report is refused rather than read as complete',
    );
  }
}

function resolveFormat(declared: string | undefined, head: Uint8Array): ReportFormat {
  const named = canonicalFormat(declared);
  if (named) return named;
  const detected = detectFormat(head);
  if (!detected) {
    throw new AsmvsError(
      'REPORT_FORMAT_UNKNOWN',
      `the report format could not be detected${declared ? ` (declared "${declared}")` : ''}`,
    );
  }
  return detected;
}

function contextOf(raw: RawMeta, provenance: RawProvenance, options: NormalizeOptions): FindingContext {
  return findingContext(raw, provenance, options.normalizerVersion ?? NORMALIZER_VERSION, options.now ?? Date.now());
}

function parseContext(
  raw: RawMeta,
  options: NormalizeOptions,
  markIncomplete: () => void,
  coverage: CoverageRecorder,
): ParseContext {
  return {
    target: raw.target,
    scanner: { name: raw.scanner.name, version: raw.scanner.version },
    markIncomplete,
    jsonTreeLimit: options.jsonTreeLimit ?? 8 * MiB,
    coverage,
  };
}
