// vs_result_fetcher's dependencies: the built-in scan engine and, with the platform API, the platform's poller.
import { builtinScan } from '../engines/builtin-scan.ts';
import { platformScanWaiter } from '../engines/platform-scan.ts';
import type { ResultFetcherDeps } from '../processors/vs-result-fetcher.ts';
import type { Wiring } from './wiring.ts';

export async function resultFetcherDeps(w: Wiring): Promise<ResultFetcherDeps> {
  const platform = await w.platform();
  const poll = w.options.poll;
  return {
    runBuiltin: builtinScan(await w.contexts()),
    now: w.now,
    ...(platform
      ? {
          awaitPlatform: platformScanWaiter(platform, {
            firstMs: poll?.firstMs ?? 1_000,
            maxMs: poll?.maxMs ?? 30_000,
            now: w.now,
          }),
        }
      : {}),
  };
}
