// Reconciliation with the platform's inventory (DESIGN.md §1, asm_exposure): on a schedule, read
// GET /api/v1/asm/assets and GET /api/v1/assets page by page and ask asm_discovery to (re)discover every asset
// they list, so that assets added on the platform side get an exposure too, and known ones are refreshed.
// Request ids are derived from the asset and the schedule window: a repeated round in the same window
// produces the same ids, which downstream stages de-duplicate.
import { stableId } from '../ids.ts';
import type { PlatformClient } from '../platform/client.ts';
import type { Logger } from '../processor.ts';
import type { DiscoveryRequest } from '../schemas/types.gen.ts';
import { discoveryRequest } from './requests.ts';

export interface ReconcileRound {
  readonly assets: number;
  readonly requests: number;
}

type AssetSource = Pick<PlatformClient, 'listAsmAssets' | 'listAssets'>;

export async function reconcileOnce(
  client: AssetSource,
  publish: (requests: readonly DiscoveryRequest[]) => Promise<void>,
  o: { readonly intervalMs: number; readonly now: number; readonly signal?: AbortSignal },
): Promise<ReconcileRound> {
  const window = Math.floor(o.now / o.intervalMs);
  const byValue = new Map<string, DiscoveryRequest>();
  let assets = 0;
  for (const list of [client.listAsmAssets(o.signal), client.listAssets(o.signal)]) {
    for await (const asset of list) {
      assets += 1;
      const value = asset.value.trim().toLowerCase();
      if (byValue.has(value)) continue;
      const request = discoveryRequest([asset.value], {
        scope: null,
        profile: 'default',
        ports: null,
        requestId: `reconcile-${stableId('reconcile', asset.id, window).slice(0, 32)}`,
      });
      byValue.set(value, {
        ...request,
        organizationId: asset.organizationId ?? null,
        labels: { ...(asset.labels ?? {}), 'asmvs.reconcile': 'true', 'platform.asset-id': asset.id },
      });
    }
  }
  const requests = [...byValue.values()];
  if (requests.length > 0) await publish(requests);
  return { assets, requests: requests.length };
}

/** Runs reconcileOnce every intervalMs (first round after one interval) until stop(); failures are logged and retried next round. */
export function startReconciler(
  client: AssetSource,
  publish: (requests: readonly DiscoveryRequest[]) => Promise<void>,
  o: { readonly intervalMs: number; readonly log: Logger; readonly now?: () => number },
): { stop(): void } {
  const controller = new AbortController();
  const round = () =>
    reconcileOnce(client, publish, {
      intervalMs: o.intervalMs,
      now: (o.now ?? Date.now)(),
      signal: controller.signal,
    }).then(
      (r) => o.log.info(r, 'reconciled with the platform asset lists'),
      (error: unknown) => o.log.warn({ err: error }, 'reconciliation failed; retrying next round'),
    );
  const timer = setInterval(() => void round(), o.intervalMs);
  timer.unref();
  return {
    stop: () => {
      clearInterval(timer);
      controller.abort();
    },
  };
}
