// vs_normalization: raw-findings → normalized-findings (+ scan-results). Detects the format, parses, maps to the
// finding schema, fingerprints and de-duplicates. For a complete report it also emits the scan's summary (how many
// distinct findings it reported, and its coverage: the ports and rules it looked at) so that findings_resolver can
// resolve what the scan no longer reports within its coverage, once the sink holds every one of them. Pure: it may
// run exactly-once in Kafka transactions.
import { derivedEventId } from '../ids.ts';
import { scanAssetKey } from '../normalizers/finding-from-draft.ts';
import type { Processor } from '../processor.ts';
import type { Finding, RawFinding, ScanCoverage } from '../schemas/types.gen.ts';
import { producerOf } from '../version.ts';
import { scanNormalized } from './job-events.ts';

export interface NormalizationDeps {
  normalize(
    raw: RawFinding,
    provenance: { topic: string; partition: number; offset: number },
  ): { findings: Finding[]; complete: boolean; coverage?: ScanCoverage | null };
}

export const STAGE = 'vs_normalization';

export const vsNormalization: Processor<
  'raw-findings',
  'normalized-findings' | 'scan-results' | 'job-status',
  NormalizationDeps,
  typeof STAGE
> = {
  name: STAGE,
  input: 'raw-findings',
  outputs: ['normalized-findings', 'scan-results', 'job-status'],
  pure: true,
  async handle(raw, ctx) {
    const { findings, complete, coverage } = ctx.deps.normalize(raw, {
      topic: ctx.meta.topic,
      partition: ctx.meta.partition,
      offset: Number(ctx.meta.offset),
    });
    for (const finding of findings) ctx.emit('normalized-findings', finding.fingerprint, finding);
    // Whoever follows the request learns that this report is normalized; derived from the report alone (pure).
    ctx.emit(
      'job-status',
      raw.requestId,
      scanNormalized(
        raw.requestId,
        {
          scanId: raw.scanId,
          rawEventId: raw.eventId,
          findings: findings.length,
          message: `scan ${raw.scanId}: ${raw.scanner.name || raw.format} report${raw.parts > 1 ? ` part ${raw.part + 1}/${raw.parts}` : ''} normalized, ${findings.length} findings`,
        },
        raw.finishedAt,
      ),
    );
    // Each part of a split report is summarised with its part number: the sink resolves such a scan once every
    // part is summarised and their findings stored (resolveScan records the parts).
    if (!complete) return;
    const assetKey = scanAssetKey(raw);
    ctx.emit('scan-results', assetKey, {
      eventId: derivedEventId('scan-result', raw.eventId),
      requestId: raw.requestId,
      // Pure: every time it writes comes from the report (when its scan finished), so a replay writes the same.
      producedAt: raw.finishedAt,
      producer: producerOf(STAGE),
      scanId: raw.scanId,
      assetKey,
      // the findings carry the raw event's scanner name, or the report's when the raw event has none
      scanner: raw.scanner.name || (findings[0]?.scanner.name ?? ''),
      finishedAt: raw.finishedAt,
      complete,
      findingCount: findings.length,
      part: raw.part,
      parts: raw.parts,
      // what the scan looked at: findings_resolver resolves only inside it (null: the asset whole)
      coverage: coverage ?? null,
    });
  },
};
