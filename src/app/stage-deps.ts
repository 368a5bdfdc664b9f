// The stages of the topology with their dependencies for one configuration: what both runners (Kafka or local)
// take. Stages this configuration cannot run (the sink stages without DATABASE_URL) are left out; `unavailable`
// says why, so that asking for one names the missing setting.
import type { Config } from '../config/config.ts';
import type { PlatformClient } from '../platform/client.ts';
import type { RequestTimings } from '../scanners/tcp/request-timings.ts';
import type { AnyProcessor } from '../processor.ts';
import { STAGES, type Stage } from '../topology.ts';
import { createWiring, type WiringOptions } from '../wiring/wiring.ts';

export type { WiringOptions } from '../wiring/wiring.ts';

export interface StageWiring {
  readonly stage: Stage;
  readonly processor: AnyProcessor;
  readonly deps: unknown;
  /** Events handled at once per copy by default (host_scan: HOST_SCAN_HOSTS; others STAGE_CONCURRENCY). */
  readonly concurrency: number;
}

export interface WiredStages {
  readonly stages: StageWiring[];
  /** Stages this configuration cannot run, and why. */
  readonly unavailable: ReadonlyMap<string, string>;
  readonly platform?: PlatformClient;
  /** host_scan's ping timing per request, which the process feeds with other copies' answers on Kafka. */
  readonly pingTimings: RequestTimings;
  close(): Promise<void>;
}

export function wireStages(config: Config, options: WiringOptions = {}): WiredStages {
  const wiring = createWiring(config, options);
  const stages: StageWiring[] = [];
  const unavailable = new Map<string, string>();
  for (const stage of STAGES) {
    const why = stage.unavailable(config);
    if (why === undefined)
      stages.push({
        stage,
        processor: stage.processor,
        deps: stage.deps(wiring),
        concurrency: stage.concurrency(config),
      });
    else unavailable.set(stage.name, why);
  }
  const platform = wiring.platform();
  return {
    stages,
    unavailable,
    ...(platform ? { platform } : {}),
    pingTimings: wiring.pingTimings,
    close: () => wiring.close(),
  };
}
