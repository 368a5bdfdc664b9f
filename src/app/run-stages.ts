// `asmvs run`: starts the named stages on Kafka in this process, sharing one logger and one metrics registry
// (so the one /metrics endpoint shows them all). Scaling is running more copies with the same group.
import { hostname } from 'node:os';
import type { Config } from '../config/config.ts';
import { AsmvsError } from '../errors.ts';
import { createLogger, secretValues } from '../observability/logger.ts';
import { createMetrics } from '../observability/metrics.ts';
import type { Logger } from '../processor.ts';
import { runStage } from '../runtime/kafka/run-stage.ts';
import type { StageRunner } from '../runtime/kafka/stage-runner.ts';
import { STAGE_NAMES, stageSpec } from '../topology.ts';
import { stageWirings, unavailableStages } from './stage-deps.ts';
import { createWiring } from '../wiring/wiring.ts';
import { startReconciler } from './reconcile-assets.ts';
import type { PlatformClient } from '../platform/client.ts';
import { publishEvents } from '../runtime/kafka/publish.ts';
import { startTracing, stopTracing } from '../observability/tracing.ts';
import { followPingTimings } from './follow-ping-timings.ts';

export interface RunningStages {
  readonly names: readonly string[];
  readonly log: Logger;
  /** Stops every stage, also while they start: those started drain and leave their groups; the others give up. */
  stop(): Promise<void>;
  /** Settles when every stage has stopped; rejects when one failed on its own. */
  readonly done: Promise<void>;
}

export interface StartingStages extends RunningStages {
  /** Resolves when every stage has started (joined its group), or stop() ended the start-up; rejects if one failed. */
  readonly started: Promise<void>;
}

export interface RunStagesOptions {
  readonly groupId?: string;
  readonly instanceId?: string;
  readonly outputTopics?: Readonly<Record<string, string>>;
  /** Events at once per stage, for every stage named (`--concurrency`); default: each stage's own. */
  readonly concurrency?: number;
}

/** With the platform API configured, asm_exposure's process reconciles with its asset lists on a schedule. */
function startPlatformReconciler(
  config: Config,
  client: PlatformClient | undefined,
  log: Logger,
): { stop(): void } | undefined {
  const api = config.api;
  if (!client || !api || api.reconcileIntervalMs === 0) return undefined;
  return startReconciler(
    client,
    (requests) =>
      publishEvents(
        config,
        'discovery-requests',
        requests.map((r) => ({ key: r.requestId, value: r })),
      ),
    { intervalMs: api.reconcileIntervalMs, log },
  );
}

/** Starts the stages and waits until they run (`asmvs replay`); a failed start stops those already started. */
export async function runStages(
  config: Config,
  requested: readonly string[],
  options: RunStagesOptions = {},
): Promise<RunningStages> {
  const starting = startStages(config, requested, options);
  await starting.started;
  return starting;
}

/**
 * Starts the stages in the background and returns at once, so that the caller can install its signal handlers before
 * anything connects: a SIGTERM while a stage waits for the registry or joins its group then stops it cleanly. The
 * stages, the topology and the configuration are checked before this returns (CONFIG_INVALID).
 */
export function startStages(
  config: Config,
  requested: readonly string[],
  options: RunStagesOptions = {},
): StartingStages {
  const names = requested.includes('all') ? [...STAGE_NAMES] : [...new Set(requested)];
  for (const name of names) stageSpec(name);
  const unavailable = unavailableStages(config);
  const missing = names.filter((n) => unavailable.has(n));
  if (missing.length > 0) {
    throw new AsmvsError(
      'CONFIG_INVALID',
      `cannot run with this configuration: ${missing.map((n) => `${n} (${unavailable.get(n)})`).join(', ')}`,
    );
  }
  // The wiring loads nothing yet: the stages' dependencies, and the modules they need, are made once they start.
  const wiring = createWiring(config);
  const log = createLogger({ level: config.log.level, secrets: secretValues(config) });
  const metrics = createMetrics(undefined, { defaultMetrics: true });
  const runners: StageRunner[] = [];
  const stopping = new AbortController();
  let reconciler: { stop(): void } | undefined;
  // host_scan copies share their ping timing through discovery-progress (follow-ping-timings.ts).
  const following = names.includes('host_scan')
    ? followPingTimings(config, wiring.pingTimings, { log, signal: stopping.signal })
    : undefined;

  const started = (async () => {
    await startTracing({ endpoint: config.tracing?.endpoint, serviceName: config.tracing?.serviceName ?? 'asmvs' });
    const stages = await stageWirings(wiring, names, unavailable);
    for (const [i, name] of names.entries()) {
      if (stopping.signal.aborted) return;
      const stage = stages.find((s) => s.processor.name === name)!;
      // One metrics server per process: the first stage serves it, the others register into the same registry.
      const runtime = { ...config.runtime, concurrency: options.concurrency ?? stage.concurrency };
      const stageConfig = { ...config, runtime, ...(i === 0 ? {} : { metrics: { port: 0 } }) };
      const groupId = options.groupId && names.length > 1 ? `${options.groupId}.${name}` : options.groupId;
      // The transactional id of an exactly-once copy must be unique per copy and stable across its restarts; a
      // container's hostname is both, so a restarted copy fences its own zombie and two copies never fence each other.
      const instanceId = options.instanceId ?? hostname();
      runners.push(
        await runStage(stageConfig, stage.processor, {
          deps: stage.deps,
          logger: log,
          metrics,
          instanceId,
          signal: stopping.signal,
          ...(groupId ? { groupId } : {}),
          ...(options.outputTopics ? { outputTopics: options.outputTopics } : {}),
        }),
      );
    }
    if (stopping.signal.aborted) return;
    log.info({ stages: names }, 'stages started');
    reconciler = names.includes('asm_exposure')
      ? startPlatformReconciler(config, await wiring.platform(), log)
      : undefined;
  })();

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping.abort();
      await started.catch(() => undefined);
      const results = await Promise.allSettled(runners.map((r) => r.stop()));
      reconciler?.stop();
      await following;
      await wiring.close();
      await stopTracing(); // exports the spans still buffered
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
    })());
  const startedOrStopped = started.catch(async (error: unknown) => {
    await stop().catch(() => undefined);
    throw error;
  });
  const done = startedOrStopped.then(() =>
    Promise.race(runners.map((r) => r.done)).then(
      () => stop(),
      async (error: unknown) => {
        log.error({ err: error }, 'a stage failed; stopping the others');
        await stop().catch(() => undefined);
        throw error;
      },
    ),
  );
  done.catch(() => undefined); // observed by whoever awaits it
  return { names, log, stop, done, started: startedOrStopped };
}
