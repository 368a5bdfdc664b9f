// Everything a stage process needs, from a validated Config: the Kafka client, the registry codec, the logger,
// the metrics and the /metrics /healthz /readyz server, and the started runner. The CLI calls this.
import type { Config } from '../../config/config.ts';
import { requireKafka, requireRegistry } from '../../config/config.ts';
import type { AnyProcessor, Logger } from '../../processor.ts';
import { createRegistryCodec } from '../../schemas/codec.ts';
import { createLogger, secretValues } from '../../observability/logger.ts';
import { createMetrics, type StageMetrics } from '../../observability/metrics.ts';
import { startObservabilityServer } from '../../observability/server.ts';
import { observeProcessor } from '../../observability/domain-metrics.ts';
import { createKafka } from './client.ts';
import { createStageRunner, type StageRunner, type StageRunnerOptions } from './stage-runner.ts';
import { AsmvsError } from '../../errors.ts';

export interface RunStageOptions {
  readonly deps?: unknown;
  readonly logger?: Logger;
  readonly metrics?: StageMetrics;
  readonly groupId?: string;
  readonly instanceId?: string;
  readonly consumer?: StageRunnerOptions['consumer'];
  readonly commitIntervalMs?: number;
  readonly outputTopics?: StageRunnerOptions['outputTopics'];
  /** Stops the stage, even while it starts (a signal during start-up): runStage then returns it stopped. */
  readonly signal?: AbortSignal;
}

/** Starts one stage on Kafka and returns its runner; stop() also closes the metrics server. */
export async function runStage(
  config: Config,
  processor: AnyProcessor,
  options: RunStageOptions = {},
): Promise<StageRunner> {
  const kafkaConfig = requireKafka(config);
  const registry = requireRegistry(config);
  const logger = options.logger ?? createLogger({ level: config.log.level, secrets: secretValues(config) });
  const metrics = options.metrics ?? createMetrics(undefined, { defaultMetrics: true });
  const runner = createStageRunner({
    processor: observeProcessor(processor, metrics),
    deps: options.deps,
    kafka: createKafka(kafkaConfig, processor.name),
    codec: createRegistryCodec({
      url: registry.url,
      ...(registry.auth ? { auth: registry.auth } : {}),
      topicPrefix: config.topics.prefix,
    }),
    topicPrefix: config.topics.prefix,
    runtime: config.runtime,
    logger,
    metrics,
    ...(options.groupId !== undefined ? { groupId: options.groupId } : {}),
    ...(options.instanceId !== undefined ? { instanceId: options.instanceId } : {}),
    ...(options.consumer !== undefined ? { consumer: options.consumer } : {}),
    ...(options.commitIntervalMs !== undefined ? { commitIntervalMs: options.commitIntervalMs } : {}),
    ...(options.outputTopics !== undefined ? { outputTopics: options.outputTopics } : {}),
  });
  metrics.watchReadiness(processor.name, runner.health.ready);
  if (config.runtime.exactlyOnce && !runner.exactlyOnce) {
    logger.warn({ stage: processor.name }, 'EXACTLY_ONCE is set but the stage is not pure; it runs at-least-once');
  }
  const server = await startObservabilityServer({
    port: config.metrics.port,
    ...(config.metrics.host !== undefined ? { host: config.metrics.host } : {}),
    registry: metrics.registry,
    health: runner.health,
  }).catch((cause: unknown) => {
    throw new AsmvsError(
      'CONFIG_INVALID',
      `METRICS_PORT/METRICS_HOST: cannot listen on ${config.metrics.host ?? '127.0.0.1'}:${config.metrics.port}: ${(cause as Error).message}`,
      { cause },
    );
  });
  const stop = async () => {
    await runner.stop();
    await server?.close();
  };
  const onAbort = () => void stop();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    if (options.signal?.aborted) await stop();
    else await runner.start();
  } catch (error) {
    options.signal?.removeEventListener('abort', onAbort);
    await stop().catch(() => undefined);
    throw error;
  }
  void runner.done.catch(() => server?.close()).finally(() => options.signal?.removeEventListener('abort', onAbort));
  return { ...runner, stop };
}
