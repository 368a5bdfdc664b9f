// The application: what a user can ask of asmvs, over ONE Kafka session (one client, producer, admin and registry
// codec, opened on first use) for every command. The CLI builds one App per command and calls it; nothing else of
// src/ is the CLI's business. Each use case is imported when first used, so a command loads only what it runs
// (`asmvs scan` never loads kafkajs; `--version` and `--help` load none of this).
import type { Config } from '../config/config.ts';
import { AsmvsError } from '../errors.ts';
import type { KafkaSession } from '../runtime/kafka/session.ts';
import type { PartitionOffsets, ReadRecord } from '../runtime/kafka/read-topic.ts';
import type { TopicState } from '../runtime/kafka/provision-topics.ts';
import type { TopicReport } from '../admin/topics.ts';
import type { DiscoveryRequest, JobStatus, MonitorEvent, ScanRequest } from '../schemas/types.gen.ts';
import type { JobOutcome } from './job-tracker.ts';
import type { ChangeFilter } from './changes-filter.ts';
import type { MonitorOptions } from './monitors.ts';
import type { OneShotOptions, OneShotResult } from './one-shot-scan.ts';
import type { NormalizedReport, NormalizeReportOptions, ReportInput } from './normalize-report.ts';
import type { Progress } from './replay-progress.ts';
import type { ReplayOptions } from './replay.ts';
import type { TailOptions, TailRecord } from './tail.ts';
import type { DeadLetter, DeadLetterCounts, RedriveResult } from './dlq.ts';
import type { Selection } from './dead-letters.ts';
import type { RunOptions } from './run.ts';
import type { RequestToCheck } from './check-request.ts';

export type { TopicState, DeadLetter, DeadLetterCounts, MonitorEvent };
export type { Scope, AssetChange } from '../schemas/types.gen.ts';

export interface FollowOptions {
  readonly timeoutMs: number;
  readonly onStatus: (status: JobStatus) => void;
  readonly signal?: AbortSignal;
}

export interface Submitted {
  readonly requestId: string;
  /** The trace the request started (when tracing exports: OTEL_EXPORTER_OTLP_ENDPOINT). */
  readonly traceId: string | undefined;
  /** Job status from just before the request was produced, until it completes or fails. */
  follow(options: FollowOptions): Promise<Exclude<JobOutcome, { state: 'running' }>>;
}

export interface App {
  readonly config: Config;
  /** Every stage in this process on the local runner; no Kafka, registry, database or platform API. */
  scan(
    target: string,
    options: Omit<OneShotOptions, 'logger'> & { readonly logLevel?: string },
  ): Promise<OneShotResult>;
  /** A scanner report from disk or stdin through vs_normalization's parsers; no infrastructure. */
  normalize(input: ReportInput, options?: NormalizeReportOptions): Promise<NormalizedReport>;
  /** Refuses (exit 2) a request no door may send: arguments, scope, targets; no DNS, nothing sent. */
  check(request: RequestToCheck): Promise<void>;
  /** Produces the request (and its ACCEPTED status); `follow: true` takes job-status's end first. */
  submit(request: DiscoveryRequest | ScanRequest, options?: { readonly follow?: boolean }): Promise<Submitted>;
  status(requestId: string, signal: AbortSignal): Promise<{ statuses: JobStatus[]; outcome: JobOutcome }>;
  tail(topic: string, options: TailOptions, onRecord: (r: TailRecord) => 'stop' | void): Promise<void>;
  changes(
    filter: ChangeFilter,
    options: { readonly follow: boolean; readonly signal: AbortSignal },
    onRecord: (r: ReadRecord<'asset-changes'>) => void,
  ): Promise<void>;
  replay(options: Omit<ReplayOptions, 'groupId'> & { readonly groupId?: string }): Promise<Progress>;
  /** Runs the stages until SIGTERM/SIGINT, then drains; settles when they have stopped. */
  run(stages: readonly string[], options: RunOptions): Promise<void>;
  readonly monitors: {
    add(target: string, options: MonitorOptions): Promise<MonitorEvent>;
    list(signal: AbortSignal): Promise<MonitorEvent[]>;
    /** The REMOVE produced, or USAGE when the target is not monitored. */
    remove(target: string, signal: AbortSignal): Promise<MonitorEvent>;
  };
  readonly topics: { create(): Promise<TopicReport>; describe(): Promise<TopicState[]> };
  readonly dlq: {
    list(topics: readonly string[] | undefined, signal: AbortSignal): Promise<DeadLetterCounts[]>;
    show(
      topic: string,
      options: { readonly selection: Selection; readonly signal: AbortSignal },
      onRecord: (d: DeadLetter) => 'stop' | void,
    ): Promise<void>;
    redrive(
      topic: string,
      options: {
        readonly selection: Selection;
        readonly dryRun: boolean;
        /** Send records a re-drive sent before, too (the ledger of re-drives says which). */
        readonly again?: boolean;
        readonly signal: AbortSignal;
      },
    ): Promise<RedriveResult>;
  };
  /** Disconnects what the session connected. */
  close(): Promise<void>;
}

export function createApp(config: Config, now: () => number = Date.now): App {
  let opened: KafkaSession | undefined;
  const session = async (): Promise<KafkaSession> =>
    (opened ??= (await import('../runtime/kafka/session.ts')).openKafkaSession(config));

  return {
    config,

    async scan(target, options) {
      const [{ oneShotScan }, { createLogger, secretValues }, pino] = await Promise.all([
        import('./one-shot-scan.ts'),
        import('../observability/logger.ts'),
        import('pino'),
      ]);
      // Logs go to stderr so that stdout carries only the findings.
      const logger = createLogger({
        level: (options.logLevel ?? 'warn') as Config['log']['level'],
        secrets: secretValues(config),
        destination: pino.default.destination(2),
      });
      return oneShotScan(config, target, { ...options, logger });
    },

    async normalize(input, options) {
      return (await import('./normalize-report.ts')).normalizeReport(input, options);
    },

    async check(request) {
      (await import('./check-request.ts')).checkRequest(config.scope, request);
    },

    async submit(request, options = {}) {
      const [{ checkRequest }, { submitRequest }, { topicEnd }, { followJob }] = await Promise.all([
        import('./check-request.ts'),
        import('./submit-request.ts'),
        import('../runtime/kafka/read-topic.ts'),
        import('./follow-job.ts'),
      ]);
      // Refused before anything of Kafka is read or written (submitRequest checks what it sends again).
      checkRequest(config.scope, request);
      const kafka = await session();
      const from = options.follow ? await topicEnd(kafka, 'job-status') : undefined;
      const kind = 'targets' in request ? 'discovery' : 'scan';
      const { traceId } =
        'targets' in request
          ? await submitRequest(config, 'discovery-requests', request.requestId, request, kafka)
          : await submitRequest(config, 'scan-requests', request.target, request, kafka);
      return {
        requestId: request.requestId,
        traceId,
        follow: (o) => {
          if (!from) throw new AsmvsError('USAGE', 'follow() needs submit(request, { follow: true })');
          return followJob(kafka, request.requestId, from, { ...o, kind });
        },
      };
    },

    async status(requestId, signal) {
      return (await import('./request-status.ts')).requestStatus(await session(), requestId, signal);
    },

    async tail(topic, options, onRecord) {
      const { tailTopic, topicRef } = await import('./tail.ts');
      return tailTopic(await session(), topicRef(topic, config.topics.prefix), options, onRecord);
    },

    async changes(filter, options, onRecord) {
      const [{ changesFrom }, { changeMatches }, { readToEnd, readTopic }] = await Promise.all([
        import('./changes-read.ts'),
        import('./changes-filter.ts'),
        import('../runtime/kafka/read-topic.ts'),
      ]);
      const kafka = await session();
      // With --since, the read starts at the records produced since shortly before that time, not at the beginning.
      const from: 'earliest' | PartitionOffsets = await changesFrom(kafka, filter.since);
      const each = (r: ReadRecord<'asset-changes'>) => {
        if (r.error || (r.value && changeMatches(r.value, filter))) onRecord(r);
      };
      if (!options.follow) return readToEnd(kafka, 'asset-changes', options.signal, each, from);
      return readTopic(kafka, 'asset-changes', { from, signal: options.signal }, each);
    },

    async replay(options) {
      return (await import('./replay.ts')).replayRawFindings(config, options, await session());
    },

    async run(stages, options) {
      return (await import('./run.ts')).runUntilStopped(config, stages, options);
    },

    monitors: {
      async add(target, options) {
        const { monitorAddition } = await import('./monitors.ts');
        const event = monitorAddition(target, options, {
          operatorScope: config.scope,
          minIntervalMs: config.monitoring.minIntervalMs,
          now: now(),
        });
        const { publishEvent } = await import('../runtime/kafka/publish.ts');
        await publishEvent(await session(), 'monitors', event.monitorId, event);
        return event;
      },
      async list(signal) {
        return (await (await import('./monitors.ts')).activeMonitors(await session(), signal)).list();
      },
      async remove(target, signal) {
        const [{ activeMonitors, monitorIdOf, monitorRemoval }, { publishEvent }] = await Promise.all([
          import('./monitors.ts'),
          import('../runtime/kafka/publish.ts'),
        ]);
        const kafka = await session();
        const monitorId = monitorIdOf(target);
        const active = (await activeMonitors(kafka, signal)).get(monitorId);
        if (!active)
          throw new AsmvsError(
            'USAGE',
            `no active monitor for ${JSON.stringify(monitorId)}; \`asmvs monitor list\` shows the monitored targets`,
          );
        const removal = monitorRemoval(active, now());
        await publishEvent(kafka, 'monitors', monitorId, removal);
        return removal;
      },
    },

    topics: {
      async create() {
        return (await import('../admin/topics.ts')).createTopics(config, await session());
      },
      async describe() {
        return (await import('../admin/topics.ts')).describeAllTopics(config, await session());
      },
    },

    dlq: {
      async list(topics, signal) {
        const { countDeadLetters, deadLetterRef, deadLetterTopics } = await import('./dlq.ts');
        const refs = (topics?.length ? topics : deadLetterTopics()).map((t) => deadLetterRef(t, config.topics.prefix));
        return countDeadLetters(await session(), refs, signal);
      },
      async show(topic, options, onRecord) {
        const { deadLetterRef, showDeadLetters } = await import('./dlq.ts');
        return showDeadLetters(await session(), deadLetterRef(topic, config.topics.prefix), options, onRecord);
      },
      async redrive(topic, options) {
        const { deadLetterRef, redriveDeadLetters } = await import('./dlq.ts');
        return redriveDeadLetters(await session(), deadLetterRef(topic, config.topics.prefix), {
          ...options,
          now: new Date(now()),
        });
      },
    },

    async close() {
      await opened?.close();
    },
  };
}
