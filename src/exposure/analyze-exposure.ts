// Exposure of one asset: PUBLIC when any of its addresses is publicly routable, tags from its services, and the
// documented score. Pure: the asset's facts in, an Exposure (as in the scan-requests schema) out.
import type { Exposure, Service } from '../schemas/types.gen.ts';
import { classifyAddress } from './address-class.ts';
import { exposureScore } from './score.ts';
import { assetTags } from './tags.ts';

export interface ExposureInput {
  readonly addresses: readonly string[];
  readonly services: readonly Service[];
  /** Ids of checks that failed on this asset, when known (asmvs-checks). */
  readonly checkIds?: readonly string[];
  readonly now: number;
}

export function analyzeExposure(input: ExposureInput): Exposure {
  const classes = input.addresses.map(classifyAddress);
  const level = classes.includes('public') ? 'PUBLIC' : 'INTERNAL';
  const open = input.services.filter((s) => s.state === 'open');
  const tags = assetTags(open, input.checkIds ?? [], input.now);
  const networkTags = [...new Set(classes.filter((c): c is NonNullable<typeof c> => c !== null))].map(
    (c) => `network:${c}`,
  );
  const { score, reasons } = exposureScore({ level, tags, openPorts: open.length });
  return { level, score, tags: [...tags, ...networkTags].sort(), reasons };
}
