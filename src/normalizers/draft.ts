// What a format parser produces for one finding: everything the report says, before the finding gets its
// fingerprint, event fields and provenance (finding-from-draft.ts adds those, the same way for every format).
import type {
  AffectedAsset,
  AffectedCode,
  AffectedPackage,
  Confidence,
  Cvss,
  Epss,
  FindingStatus,
  FindingType,
  ScannerInfo,
  Severity,
} from '../schemas/types.gen.ts';
import type { CoverageRecorder } from './coverage.ts';

/** The part of the fingerprint that says *where* the finding is (DESIGN.md §5). */
export type AssetKey =
  | { kind: 'service'; host: string; port: number; protocol: string }
  | { kind: 'host'; host: string }
  | { kind: 'url'; origin: string; path: string }
  | { kind: 'package'; target: string; ecosystem: string; name: string; version: string; path: string }
  | { kind: 'code'; target: string; file: string; line: number | null }
  | { kind: 'target'; target: string };

export interface Draft {
  /** Scanner family for the fingerprint: lower-case tool name, never its version. */
  family: string;
  /** Rule, check, plugin, template or vulnerability id: the "what" of the fingerprint. */
  ruleId: string;
  key: AssetKey;
  /** What tells apart findings of one rule at one place, when the scanner says (part of the fingerprint). */
  variant?: string | null;
  findingType: FindingType;
  title: string;
  description?: string | null;
  severity: Severity;
  scannerSeverity?: string | null;
  confidence?: Confidence;
  cves?: string[];
  advisories?: string[];
  cwes?: string[];
  cvss?: Cvss[];
  epss?: Epss | null;
  asset?: Partial<AffectedAsset>;
  affectedPackage?: DraftPackage | null;
  affectedCode?: AffectedCode | null;
  remediation?: string | null;
  references?: string[];
  evidence?: string | null;
  /** How the scanner matched it (Grype's matcher and match type). */
  matchedBy?: string | null;
  /** NEW unless the report says the result is suppressed or the package not affected. */
  status?: FindingStatus;
  scanner: ScannerInfo;
}

/** A package as a parser knows it; licenses and the fix status are optional. */
export type DraftPackage = Omit<AffectedPackage, 'licenses' | 'fixStatus'> &
  Partial<Pick<AffectedPackage, 'licenses' | 'fixStatus'>>;

/** Where a parser sends each draft; parsers never collect, so big reports stream. */
export type DraftSink = (draft: Draft) => void;

/** What a parser knows about the scan from outside the report (the raw event). */
export interface ParseContext {
  /** The scan's target as requested: the fallback asset for package findings whose report names none. */
  target: string;
  scanner: ScannerInfo;
  /** The report says of itself that it is partial (e.g. entries dropped to fit a cap): the scan is not complete. */
  markIncomplete: (reason: string) => void;
  /** JSON reports up to this many bytes are parsed whole (fast); larger ones stream (bounded memory). */
  jsonTreeLimit: number;
  /** What the scan looked at, for formats that say (coverage.ts); the others never call it. */
  coverage: CoverageRecorder;
}

/** A push parser: bytes in, drafts out through the sink given at creation. `end` throws if the report is incomplete. */
export interface FormatParser {
  write(chunk: Uint8Array): void;
  end(): void;
}

export type FormatParserFactory = (context: ParseContext, sink: DraftSink) => FormatParser;
