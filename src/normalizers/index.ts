// The normalization library's public surface.
export { createReportNormalizer, normalizeRaw } from './normalize.ts';
export type { NormalizeOptions, NormalizeResult, ReportNormalizer } from './normalize.ts';
export { detectFormat, canonicalFormat, FORMATS } from './detect-format.ts';
export type { ReportFormat } from './detect-format.ts';
export { fingerprint, FINGERPRINT_VERSION } from './fingerprint.ts';
export { scanAssetKey } from './finding-from-draft.ts';
export type { RawMeta, RawProvenance } from './finding-from-draft.ts';
export { NORMALIZER_VERSION } from './version.ts';
export { toOcsf } from './export/ocsf.ts';
export { toSarif } from './export/sarif.ts';
