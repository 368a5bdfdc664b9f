// Stamped on every finding; bump when a parser's output changes so replays show which normalizer made a finding.
export const NORMALIZER_VERSION = '1.1.0';
export const NORMALIZER_STAGE = 'vs_normalization';
