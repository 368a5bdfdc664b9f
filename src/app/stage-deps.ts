// The stages of the topology with their dependencies for one configuration: what both runners (Kafka or local)
// take. Stages this configuration cannot run (the sink stages without DATABASE_URL) are left out; `unavailable`
// says why, so that asking for one names the missing setting. Only the stages asked for are wired: their
// factories, and what those load, are imported then (src/topology.ts).
import type { Config } from '../config/config.ts';
import type { PlatformClient } from '../platform/client.ts';
import type { RequestTimings } from '../scanners/tcp/request-timings.ts';
import type { AnyProcessor } from '../processor.ts';
import { STAGES, type Stage } from '../topology.ts';
import { createWiring, type Wiring, type WiringOptions } from '../wiring/wiring.ts';

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

/** The stages this configuration cannot run, and why (synchronous: nothing is loaded or connected). */
export function unavailableStages(config: Config): ReadonlyMap<string, string> {
  const unavailable = new Map<string, string>();
  for (const stage of STAGES) {
    const why = stage.unavailable(config);
    if (why !== undefined) unavailable.set(stage.name, why);
  }
  return unavailable;
}

/** The named stages (all by default) that this wiring's configuration can run, with their dependencies made. */
export async function stageWirings(
  wiring: Wiring,
  names?: readonly string[],
  unavailable: ReadonlyMap<string, string> = unavailableStages(wiring.config),
): Promise<StageWiring[]> {
  const wanted = STAGES.filter((s) => !unavailable.has(s.name) && (names === undefined || names.includes(s.name)));
  return Promise.all(
    wanted.map(async (stage) => ({
      stage,
      processor: stage.processor,
      deps: await stage.deps(wiring),
      concurrency: stage.concurrency(wiring.config),
    })),
  );
}

/** Every stage this configuration can run, wired; close() closes the clients they share. */
export async function wireStages(config: Config, options: WiringOptions = {}): Promise<WiredStages> {
  const wiring = createWiring(config, options);
  const unavailable = unavailableStages(config);
  try {
    const stages = await stageWirings(wiring, undefined, unavailable);
    const platform = await wiring.platform();
    return {
      stages,
      unavailable,
      ...(platform ? { platform } : {}),
      pingTimings: wiring.pingTimings,
      close: () => wiring.close(),
    };
  } catch (error) {
    await wiring.close();
    throw error;
  }
}
