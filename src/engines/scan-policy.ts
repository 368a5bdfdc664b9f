// The scan policy (pure): which assets get scanned, with which scanners. An asset with open services is scanned
// with the built-in checks; an asset with nothing open has nothing to check.
import type { ScanDecision } from '../processors/asm-exposure.ts';
import type { Asset, Exposure } from '../schemas/types.gen.ts';

export const DEFAULT_SCANNERS = ['asmvs-checks'] as const;

export function decideScan(asset: Asset, _exposure: Exposure): ScanDecision {
  const open = asset.services.filter((s) => s.state === 'open');
  if (asset.kind === 'DOMAIN')
    return { scan: false, scanners: [], reason: 'domains are scanned through their addresses' };
  if (open.length === 0) return { scan: false, scanners: [], reason: 'no open services' };
  return { scan: true, scanners: DEFAULT_SCANNERS, reason: `${open.length} open services` };
}
