// vs_normalization: raw-findings → normalized-findings. Detects the format, parses, maps to the finding schema,
// fingerprints and de-duplicates. Pure: it may run exactly-once in Kafka transactions.
import type { Processor } from '../processor.ts';
import type { Finding, RawFinding } from '../schemas/types.gen.ts';

export interface NormalizationDeps {
  normalize(raw: RawFinding, provenance: { topic: string; partition: number; offset: number }): Finding[];
}

export const STAGE = 'vs_normalization';

export const vsNormalization: Processor<'raw-findings', 'normalized-findings', NormalizationDeps> = {
  name: STAGE,
  input: 'raw-findings',
  outputs: ['normalized-findings'],
  pure: true,
  async handle(raw, ctx) {
    const findings = ctx.deps.normalize(raw, {
      topic: ctx.meta.topic,
      partition: ctx.meta.partition,
      offset: Number(ctx.meta.offset),
    });
    for (const finding of findings) ctx.emit('normalized-findings', finding.fingerprint, finding);
  },
};
