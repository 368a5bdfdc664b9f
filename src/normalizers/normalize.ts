// One normalization path. A ReportNormalizer takes a report's bytes in any number of chunks and, at the end, gives
// its distinct findings: vs_normalization feeds it one raw event's payload (normalizeRaw), `asmvs normalize` a file
// or stdin as it is read (src/app/normalize-report.ts). Same parsers, mapping and de-duplication either way, so the
// CLI's findings equal the stage's for every report (test/normalizers/cli-equals-stage.test.ts).
import type { RawFinding, ScanCoverage } from '../schemas/types.gen.ts';
import { coverageCollector, type CoverageRecorder } from './coverage.ts';
import { AsmvsError } from '../errors.ts';
import type { Draft, FormatParser, ParseContext } from './draft.ts';
import { canonicalFormat, detectFormat } from './detect-format.ts';
import type { ReportFormat } from './detect-format.ts';
import { findingContext, findingFromDraft } from './finding-from-draft.ts';
import type { RawMeta, RawProvenance } from './finding-from-draft.ts';
import { ReportDeduplicator } from './dedup.ts';
import { PARSERS } from './formats/index.ts';
import { NORMALIZER_VERSION } from './version.ts';
import { LIMITS, reportTooLarge } from './parse/limits.ts';
import { mayHoldUnstorable, storableValue } from './storable-text.ts';
import type { Finding } from '../schemas/types.gen.ts';

export interface NormalizeOptions {
  normalizerVersion?: string;
  /** producedAt of the findings (ms); default: the clock. Nothing else depends on it. */
  now?: number;
  /** Overrides the raw event's declared format. */
  format?: string;
  /** Largest report accepted, in bytes. Default 256 MiB. */
  maxReportBytes?: number;
  /** Most distinct findings in one report (default 100,000: what one stage attempt holds and emits). */
  maxFindings?: number;
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
  /** The report's size in bytes. */
  bytes: number;
}

export interface ReportNormalizer {
  /** Feeds the next bytes of the report; throws AsmvsError as soon as the report is known to be bad. */
  write(chunk: Uint8Array): void;
  /** The report has ended: its findings, or an AsmvsError if it is incomplete, malformed or too large. */
  end(): NormalizeResult;
}

const SLICE = 1024 * 1024;
const DETECT_BYTES = 64 * 1024;

/** Pure apart from the clock when `now` is not given. Throws AsmvsError (REPORT_*, OUTPUT_TOO_LARGE) on bad input. */
export function normalizeRaw(
  raw: RawFinding,
  provenance: RawProvenance,
  options: NormalizeOptions = {},
): NormalizeResult {
  // the raw event is its own RawMeta: normalization reads its fields, so no copy of it without the payload is made
  const normalizer = createReportNormalizer(raw, provenance, options);
  // slices keep the tokenizers' working strings small; the payload itself is already in memory
  writeSlices(raw.payload, normalizer);
  return normalizer.end();
}

/** Writes `bytes` in slices of at most SLICE; most reports are one slice, written as they are (no view made). */
function writeSlices(bytes: Uint8Array, to: { write(chunk: Uint8Array): void }): void {
  if (bytes.length <= SLICE) {
    if (bytes.length > 0) to.write(bytes);
    return;
  }
  for (let i = 0; i < bytes.length; i += SLICE) to.write(bytes.subarray(i, i + SLICE));
}

export function createReportNormalizer(
  raw: RawMeta,
  provenance: RawProvenance,
  options: NormalizeOptions = {},
): ReportNormalizer {
  refuseTruncated(raw);
  const maxBytes = options.maxReportBytes ?? LIMITS.reportBytes;
  // a declared format starts its parser at the first chunk; otherwise the head decides (detectFormat)
  const named = canonicalFormat(options.format ?? raw.format);
  const ctx = findingContext(
    raw,
    provenance,
    options.normalizerVersion ?? NORMALIZER_VERSION,
    options.now ?? Date.now(),
  );
  const dedup = new ReportDeduplicator(options.maxFindings ?? LIMITS.findings);
  let selfDeclaredPartial = false;
  const coverage = coverageCollector();
  // every emitted finding is storable in PostgreSQL (storable-text.ts); only a report whose bytes may hold U+0000 or
  // an unpaired surrogate needs the per-string pass
  let unstorable = false;
  // the last 5 bytes of the report before `last`, the chunk written last (its own tail is taken only if one follows)
  let tail: Uint8Array = NO_BYTES;
  let last: Uint8Array | null = null;
  let parser: FormatParser | null = null;
  let format: ReportFormat | null = null;
  let bytes = 0;
  // detection needs the head of the report: chunks are held until there is enough of it (or the report ends)
  let head: Uint8Array[] = [];
  let headBytes = 0;
  const start = (): FormatParser => {
    const all = head.length === 1 ? head[0]! : Buffer.concat(head);
    head = [];
    format = named ?? detectedFormat(options.format ?? raw.format, all);
    const p = PARSERS[format](
      parseContext(raw, options, () => (selfDeclaredPartial = true), coverage),
      (d: Draft) => {
        const f = findingFromDraft(d, ctx);
        dedup.add(unstorable ? storableValue(f) : f);
      },
    );
    writeSlices(all, p);
    return p;
  };
  return {
    write(chunk) {
      bytes += chunk.length;
      if (bytes > maxBytes) throw reportTooLarge(`the report is larger than the ${maxBytes} bytes accepted`);
      if (!unstorable) {
        if (last !== null) tail = tailOf(tail, last);
        unstorable = mayHoldUnstorable(chunk, tail);
        last = chunk;
      }
      if (parser) {
        writeSlices(chunk, parser);
        return;
      }
      head.push(chunk);
      headBytes += chunk.length;
      if (named !== null || headBytes >= DETECT_BYTES) parser = start();
    },
    end() {
      // an empty report of a declared format is that format's empty report (nuclei writes nothing when it finds
      // nothing); an empty report of no declared format cannot be detected and is refused
      parser ??= start();
      parser.end();
      return {
        format: format!,
        findings: dedup.findings(),
        complete: raw.complete && !raw.truncated && !selfDeclaredPartial,
        coverage: coverage.coverage(),
        bytes,
      };
    },
  };
}

function refuseTruncated(raw: RawMeta): void {
  if (raw.truncated) {
    throw new AsmvsError(
      'OUTPUT_TOO_LARGE',
      'the scanner output hit its byte cap; a cut report is refused rather than read as complete',
    );
  }
}

const NO_BYTES = new Uint8Array(0);

/** The last 5 bytes of `tail` followed by `chunk`, however small the chunks. */
function tailOf(tail: Uint8Array, chunk: Uint8Array): Uint8Array {
  return chunk.length >= 5 ? chunk.subarray(chunk.length - 5) : Buffer.concat([tail, chunk]).subarray(-5);
}

/** The format detected from the report's head; `declared` (not a format name) only words the refusal. */
function detectedFormat(declared: string | undefined, head: Uint8Array): ReportFormat {
  const detected = detectFormat(head);
  if (!detected) {
    throw new AsmvsError(
      'REPORT_FORMAT_UNKNOWN',
      head.length === 0
        ? 'the report is empty and its format was not given, so it cannot be read as a clean scan'
        : `the report format could not be detected${declared ? ` (declared "${declared}")` : ''}`,
    );
  }
  return detected;
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
    jsonTreeLimit: options.jsonTreeLimit ?? LIMITS.jsonTreeBytes,
    coverage,
  };
}
