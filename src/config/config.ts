// The validated, frozen configuration that core code receives (it never reads process.env itself).
import { AsmvsError } from '../errors.ts';
import type { Settings } from './schema.ts';
import { parseRescanPolicy, type RescanRule } from '../monitoring/rescan-policy.ts';
import { kafkaSasl, kafkaTls, type KafkaSasl, type KafkaTls } from './kafka-security.ts';

export interface KafkaConfig {
  readonly brokers: readonly string[];
  readonly clientId: string;
  /** TLS on (KAFKA_SSL, or any KAFKA_SSL_*_FILE). */
  readonly ssl: boolean;
  /** A private CA and/or a client certificate (mutual TLS). */
  readonly tls?: KafkaTls;
  readonly sasl?: KafkaSasl;
}

export interface Config {
  readonly kafka?: KafkaConfig;
  readonly registry?: {
    readonly url: string;
    readonly auth?: { readonly username: string; readonly password: string };
  };
  readonly topics: {
    readonly prefix: string;
    readonly partitions: number;
    readonly replicationFactor: number;
    readonly rawFindingsRetentionMs: number;
  };
  readonly api?: {
    readonly baseUrl: string;
    readonly token?: string;
    readonly timeoutMs: number;
    readonly reconcileIntervalMs: number;
  };
  readonly database?: { readonly url: string; readonly resolveWaitMs: number };
  readonly log: { readonly level: Settings['LOG_LEVEL'] };
  /** OTLP export of spans (src/observability/tracing.ts); absent in configs built by hand. */
  readonly tracing?: { readonly endpoint?: string; readonly serviceName: string };
  /** host: the address to listen on (default 127.0.0.1). */
  readonly metrics: { readonly port: number; readonly host?: string };
  readonly runtime: {
    readonly concurrency: number;
    readonly maxInFlight: number;
    /** Keyed stages: timers being handled at once; a burst of due timers waits in the heap (default in schema.ts). */
    readonly maxTimersInFlight?: number;
    /** Keyed stages: bytes of handled timers' records awaiting acknowledgement (default in schema.ts). */
    readonly timerUnackedBytes?: number;
    readonly retry: { readonly maxAttempts: number; readonly baseMs: number; readonly maxMs: number };
    /** The longest wait between tries while infrastructure is unavailable (default 5 s). */
    readonly outageRetryMaxMs?: number;
    /** The consumer group membership of a stage (defaults in schema.ts). */
    readonly group?: { readonly sessionTimeoutMs: number; readonly heartbeatIntervalMs: number };
    readonly shutdownDeadlineMs: number;
    readonly exactlyOnce: boolean;
  };
  readonly scope: {
    readonly allow: readonly string[];
    readonly deny: readonly string[];
    readonly allowMetadata: boolean;
    readonly maxAddresses: number;
  };
  readonly scanners: {
    readonly dnsResolver?: string;
    readonly nmapPath: string;
    readonly engine: 'builtin' | 'platform';
    readonly deadlineMs: number;
  };
  readonly discovery: {
    readonly chunkHosts: number;
    readonly progressReportMs: number;
  };
  readonly hostScan: {
    readonly hosts: number;
    readonly connections: number;
    /** New connections per second; 0: no rate limit. */
    readonly rate: number;
    readonly timeoutMs: number;
    readonly pingPorts: readonly number[];
    readonly pingMinTimeoutMs: number;
    readonly pingMaxTimeoutMs: number;
  };
  readonly monitoring: {
    readonly minIntervalMs: number;
    readonly rescanPolicy: readonly RescanRule[];
    readonly certWarningMs: number;
    readonly goneAfterRounds: number;
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

function pair(
  a: string | undefined,
  b: string | undefined,
  names: string,
): { username: string; password: string } | undefined {
  if ((a === undefined) !== (b === undefined)) {
    throw new AsmvsError('CONFIG_INVALID', `invalid configuration:\n  ${names}: set both or neither`);
  }
  return a !== undefined && b !== undefined ? { username: a, password: b } : undefined;
}

export function toConfig(s: Settings): Config {
  const sasl = kafkaSasl(s);
  const tls = kafkaTls(s);
  checkPingTimeouts(s);
  const registryAuth = pair(
    s.SCHEMA_REGISTRY_USERNAME,
    s.SCHEMA_REGISTRY_PASSWORD,
    'SCHEMA_REGISTRY_USERNAME/SCHEMA_REGISTRY_PASSWORD',
  );
  return deepFreeze({
    kafka: s.KAFKA_BROKERS && {
      brokers: s.KAFKA_BROKERS,
      clientId: s.KAFKA_CLIENT_ID,
      ssl: s.KAFKA_SSL || tls?.caFile !== undefined || tls?.certFile !== undefined,
      ...(tls ? { tls } : {}),
      ...(sasl ? { sasl } : {}),
    },
    registry:
      s.SCHEMA_REGISTRY_URL !== undefined
        ? { url: s.SCHEMA_REGISTRY_URL.replace(/\/+$/, ''), ...(registryAuth ? { auth: registryAuth } : {}) }
        : undefined,
    topics: {
      prefix: s.TOPIC_PREFIX,
      partitions: s.TOPIC_PARTITIONS,
      replicationFactor: s.TOPIC_REPLICATION_FACTOR,
      rawFindingsRetentionMs: s.RAW_FINDINGS_RETENTION_MS,
    },
    api:
      s.API_BASE_URL !== undefined
        ? {
            baseUrl: s.API_BASE_URL.replace(/\/+$/, ''),
            token: s.API_TOKEN,
            timeoutMs: s.API_TIMEOUT_MS,
            reconcileIntervalMs: s.RECONCILE_INTERVAL_MS,
          }
        : undefined,
    database: s.DATABASE_URL !== undefined ? { url: s.DATABASE_URL, resolveWaitMs: s.RESOLVE_WAIT_MS } : undefined,
    log: { level: s.LOG_LEVEL },
    tracing: { endpoint: s.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: s.OTEL_SERVICE_NAME },
    metrics: { port: s.METRICS_PORT, host: s.METRICS_HOST },
    runtime: {
      concurrency: s.STAGE_CONCURRENCY,
      maxInFlight: s.STAGE_MAX_IN_FLIGHT,
      maxTimersInFlight: s.STAGE_MAX_TIMERS_IN_FLIGHT,
      timerUnackedBytes: s.STAGE_TIMER_UNACKED_BYTES,
      retry: { maxAttempts: s.RETRY_MAX_ATTEMPTS, baseMs: s.RETRY_BASE_MS, maxMs: s.RETRY_MAX_MS },
      outageRetryMaxMs: s.OUTAGE_RETRY_MAX_MS,
      group: { sessionTimeoutMs: s.KAFKA_SESSION_TIMEOUT_MS, heartbeatIntervalMs: s.KAFKA_HEARTBEAT_INTERVAL_MS },
      shutdownDeadlineMs: s.SHUTDOWN_DEADLINE_MS,
      exactlyOnce: s.EXACTLY_ONCE,
    },
    scope: {
      allow: s.SCOPE_ALLOW,
      deny: s.SCOPE_DENY,
      allowMetadata: s.SCOPE_ALLOW_METADATA,
      maxAddresses: s.SCOPE_MAX_ADDRESSES,
    },
    scanners: {
      dnsResolver: s.DNS_RESOLVER,
      nmapPath: s.NMAP_PATH,
      engine: s.SCAN_ENGINE,
      deadlineMs: s.SCAN_DEADLINE_MS,
    },
    discovery: { chunkHosts: s.DISCOVERY_CHUNK_HOSTS, progressReportMs: s.PROGRESS_REPORT_MS },
    hostScan: {
      hosts: s.HOST_SCAN_HOSTS,
      connections: s.HOST_SCAN_CONNECTIONS,
      rate: s.HOST_SCAN_RATE,
      timeoutMs: s.HOST_SCAN_TIMEOUT_MS,
      pingPorts: s.HOST_PING_PORTS,
      pingMinTimeoutMs: s.HOST_PING_MIN_TIMEOUT_MS,
      pingMaxTimeoutMs: s.HOST_PING_MAX_TIMEOUT_MS,
    },
    monitoring: {
      minIntervalMs: s.MONITOR_MIN_INTERVAL_MS,
      rescanPolicy: rescanPolicyOf(s),
      certWarningMs: s.CERT_EXPIRY_WARNING_MS,
      goneAfterRounds: s.ASSET_GONE_AFTER_ROUNDS,
    },
  });
}

function checkPingTimeouts(s: Settings): void {
  if (s.HOST_PING_MIN_TIMEOUT_MS > s.HOST_PING_MAX_TIMEOUT_MS)
    throw new AsmvsError(
      'CONFIG_INVALID',
      `invalid configuration:\n  HOST_PING_MIN_TIMEOUT_MS: ${s.HOST_PING_MIN_TIMEOUT_MS} is above HOST_PING_MAX_TIMEOUT_MS (${s.HOST_PING_MAX_TIMEOUT_MS})`,
    );
}

function rescanPolicyOf(s: Settings): RescanRule[] {
  try {
    return parseRescanPolicy(s.RESCAN_POLICY, s.MONITOR_MIN_INTERVAL_MS);
  } catch (error) {
    throw new AsmvsError('CONFIG_INVALID', `invalid configuration:\n  RESCAN_POLICY: ${(error as Error).message}`);
  }
}

/** The Kafka settings, or a CONFIG_INVALID error naming the variable, for commands that need a broker. */
export function requireKafka(config: Config): KafkaConfig {
  if (!config.kafka)
    throw new AsmvsError(
      'CONFIG_INVALID',
      'invalid configuration:\n  KAFKA_BROKERS: required (comma-separated host:port, e.g. 127.0.0.1:9092)',
    );
  return config.kafka;
}

export function requireRegistry(config: Config): NonNullable<Config['registry']> {
  if (!config.registry)
    throw new AsmvsError(
      'CONFIG_INVALID',
      'invalid configuration:\n  SCHEMA_REGISTRY_URL: required (e.g. http://127.0.0.1:8081/apis/ccompat/v7)',
    );
  return config.registry;
}
