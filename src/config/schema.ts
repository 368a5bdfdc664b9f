// The one configuration schema: every environment variable asmvs reads, its type, default and meaning.
// load.ts validates the environment against it once; docs.ts renders the README's table from it.
import { z } from 'zod';

const csv = (item: z.ZodString) =>
  z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x.length > 0),
    )
    .pipe(z.array(item));

const isPort = (n: number) => n >= 1 && n <= 65535;
const hostPort = z
  .string()
  .regex(/^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'each entry must be host:port')
  // Checked here, not where a socket is opened: a bad port stops the command before any I/O, naming the variable.
  .refine((s) => isPort(Number(s.slice(s.lastIndexOf(':') + 1))), { error: 'the port must be 1-65535' });
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const bool = z.stringbool({ error: 'must be true or false' });

export const SECRET_SETTINGS = new Set([
  'KAFKA_SASL_PASSWORD',
  'KAFKA_SSL_KEY_PASSWORD',
  'SCHEMA_REGISTRY_PASSWORD',
  'API_TOKEN',
  'DATABASE_URL',
]);

// Defaults that programmatic callers (tests, benchmarks) fall back on too.
/**
 * Due timers being handled at once: 50 keeps a keyed stage's handlers (STAGE_CONCURRENCY, 16) fed during a burst.
 * A handled timer then holds only its records until they are acknowledged, within DEFAULT_TIMER_UNACKED_BYTES of
 * them, so that one produce request carries many timers. When this window alone bounded timers until acknowledgement,
 * 100,000 timers due in 10 s fired at 6,500–10,000/s (p99 lateness 0.3–5.4 s); with both windows at 9,800–10,000/s
 * (p99 0.1–0.75 s) (bench/runtime/timers-reload.ts; README, durable timers).
 */
export const DEFAULT_TIMERS_IN_FLIGHT = 50;
export const DEFAULT_TIMER_UNACKED_BYTES = 1_048_576;
export const DEFAULT_RESOLVE_WAIT_MS = 600_000;
export const DEFAULT_OUTAGE_RETRY_MAX_MS = 5_000;
export const DEFAULT_SESSION_TIMEOUT_MS = 15_000;
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 3_000;

export const settingsSchema = z.object({
  KAFKA_BROKERS: csv(hostPort)
    .refine((a) => a.length > 0, 'must name at least one broker')
    .optional()
    .describe('Kafka bootstrap brokers, comma-separated host:port (required by every command that uses Kafka)'),
  KAFKA_CLIENT_ID: z.string().min(1).default('asmvs').describe('Kafka client id prefix'),
  KAFKA_SSL: bool.default(false).describe('Connect to Kafka over TLS'),
  KAFKA_SSL_CA_FILE: z
    .string()
    .min(1)
    .optional()
    .describe(
      "PEM file of the CA certificates that sign the brokers' certificates (unset: the system's CAs); implies TLS",
    ),
  KAFKA_SSL_CERT_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('PEM file of the client certificate (and chain) for mutual TLS; needs KAFKA_SSL_KEY_FILE; implies TLS'),
  KAFKA_SSL_KEY_FILE: z.string().min(1).optional().describe("PEM file of the client certificate's private key"),
  KAFKA_SSL_KEY_PASSWORD: z.string().optional().describe('Passphrase of an encrypted KAFKA_SSL_KEY_FILE (secret)'),
  KAFKA_SASL_MECHANISM: z
    .enum(['plain', 'scram-sha-256', 'scram-sha-512', 'oauthbearer'])
    .optional()
    .describe('SASL mechanism for Kafka (unset: no SASL)'),
  KAFKA_SASL_USERNAME: z.string().optional().describe('SASL user name (plain, scram)'),
  KAFKA_SASL_PASSWORD: z.string().optional().describe('SASL password (plain, scram; secret)'),
  KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: z
    .string()
    .min(1)
    .optional()
    .describe('oauthbearer: a file holding the token, read again whenever a token is needed (rotated tokens)'),
  KAFKA_SASL_OAUTHBEARER_TOKEN_COMMAND: z
    .string()
    .transform((text, ctx) => {
      try {
        const value: unknown = JSON.parse(text);
        if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string' && v.length > 0))
          return value as string[];
      } catch {
        // reported below
      }
      ctx.addIssue({
        code: 'custom',
        message: 'must be a JSON array of the program and its arguments, e.g. ["/usr/local/bin/get-token","kafka"]',
      });
      return z.NEVER;
    })
    .optional()
    .describe(
      'oauthbearer: a program that prints the token, as a JSON array of the program and its arguments (run without a shell)',
    ),
  KAFKA_SESSION_TIMEOUT_MS: int(6_000, 300_000)
    .default(DEFAULT_SESSION_TIMEOUT_MS)
    .describe(
      'Stages: how long the group waits for a silent member (a killed copy) before giving its partitions to the others; shorter recovers faster, too short makes a loaded copy lose them spuriously',
    ),
  KAFKA_HEARTBEAT_INTERVAL_MS: int(100, 100_000)
    .default(DEFAULT_HEARTBEAT_INTERVAL_MS)
    .describe('Stages: how often a copy tells its group it is alive (at most a third of KAFKA_SESSION_TIMEOUT_MS)'),

  SCHEMA_REGISTRY_URL: httpUrl
    .optional()
    .describe('Confluent-compatible schema registry base URL, e.g. http://127.0.0.1:8081/apis/ccompat/v7'),
  SCHEMA_REGISTRY_USERNAME: z.string().optional().describe('Schema registry basic-auth user'),
  SCHEMA_REGISTRY_PASSWORD: z.string().optional().describe('Schema registry basic-auth password (secret)'),

  TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, 'may contain only letters, digits, dot, underscore and hyphen')
    .default('')
    .describe('Prefix for every topic name (isolates pipelines that share a cluster)'),
  TOPIC_PARTITIONS: int(1, 10_000).default(12).describe('Partitions of each topic created by `asmvs topics create`'),
  TOPIC_REPLICATION_FACTOR: int(1, 32).default(1).describe('Replication factor of each topic created'),
  RAW_FINDINGS_RETENTION_MS: z.coerce
    .number()
    .int()
    .min(-1)
    .default(90 * 24 * 3600 * 1000)
    .describe('Retention of raw-findings, the source of every replay (-1 keeps it forever)'),

  API_BASE_URL: httpUrl.optional().describe('Platform API base URL (unset: the stages run on Kafka alone)'),
  API_TOKEN: z.string().min(1).optional().describe('Bearer token for the platform API (secret)'),
  API_TIMEOUT_MS: int(100, 600_000).default(10_000).describe('Timeout of one platform API request'),
  RECONCILE_INTERVAL_MS: int(0, 30 * 86_400_000)
    .default(86_400_000)
    .describe("How often asm_exposure re-reads the platform's asset lists and asks to rediscover them (0: never)"),

  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional()
    .describe('PostgreSQL connection URL for findings_sink (secret)'),
  RESOLVE_WAIT_MS: int(1_000, 7 * 86_400_000)
    .default(DEFAULT_RESOLVE_WAIT_MS)
    .describe(
      "How long findings_resolver waits for a complete scan's findings to be stored before dead-lettering its summary",
    ),

  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level'),
  METRICS_PORT: int(0, 65_535)
    .default(9464)
    .describe('Port of /metrics, /healthz and /readyz on METRICS_HOST (0: off)'),
  METRICS_HOST: z
    .union([z.ipv4(), z.ipv6()], { error: 'must be an IP address, e.g. 127.0.0.1 or 0.0.0.0' })
    .default('127.0.0.1')
    .describe(
      'Address /metrics, /healthz and /readyz listen on: loopback by default; the image sets 0.0.0.0 so that probes and Prometheus reach the pod',
    ),

  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl
    .optional()
    .describe(
      'OpenTelemetry collector base URL: spans of submitted requests and handled events are exported there (OTLP, HTTP protobuf, <url>/v1/traces); unset: none',
    ),
  OTEL_SERVICE_NAME: z.string().min(1).default('asmvs').describe('service.name of the exported spans'),

  STAGE_CONCURRENCY: int(1, 10_000).default(16).describe('Events handled at once per stage process'),
  STAGE_MAX_IN_FLIGHT: int(1, 1_000_000)
    .default(1_000)
    .describe('Events buffered per stage before partitions are paused (back-pressure)'),
  STAGE_MAX_TIMERS_IN_FLIGHT: int(1, 1_000_000)
    .default(DEFAULT_TIMERS_IN_FLIGHT)
    .describe(
      'Keyed stages: due timers being handled at once (at most STAGE_MAX_IN_FLIGHT); the rest wait, due, in the timer heap',
    ),
  STAGE_TIMER_UNACKED_BYTES: int(1_024, 1_073_741_824)
    .default(DEFAULT_TIMER_UNACKED_BYTES)
    .describe(
      "Keyed stages: bytes of handled timers' records (keys and values) awaiting acknowledgement before more timers fire",
    ),
  RETRY_MAX_ATTEMPTS: int(1, 100)
    .default(5)
    .describe('Attempts of a retryable failure before the event is dead-lettered'),
  RETRY_BASE_MS: int(1, 600_000).default(200).describe('First retry delay; doubles each attempt, with jitter'),
  RETRY_MAX_MS: int(1, 3_600_000).default(30_000).describe('Longest retry delay'),
  OUTAGE_RETRY_MAX_MS: int(1, 600_000)
    .default(DEFAULT_OUTAGE_RETRY_MAX_MS)
    .describe(
      'Longest wait between two tries while infrastructure (registry, Kafka, PostgreSQL, the platform API) does not answer; events wait without spending their retries',
    ),
  SHUTDOWN_DEADLINE_MS: int(0, 3_600_000)
    .default(30_000)
    .describe('How long a stopping stage waits for in-flight work before aborting it'),
  EXACTLY_ONCE: bool.default(false).describe('Run pure stages (normalization) in Kafka transactions'),

  SCOPE_ALLOW: csv(z.string().min(1))
    .default([])
    .describe(
      'Operator allow-list of CIDRs, domains and `loopback` (127.0.0.0/8 and ::1) (empty: every address that is not denied)',
    ),
  SCOPE_DENY: csv(z.string().min(1))
    .default([])
    .describe('Operator deny-list of CIDRs, domains and `loopback` (127.0.0.0/8 and ::1)'),
  SCOPE_ALLOW_METADATA: bool
    .default(false)
    .describe('Allow cloud-metadata and link-local addresses (denied by default)'),
  SCOPE_MAX_ADDRESSES: int(1, 16_777_216)
    .default(65_536)
    .describe('Most addresses one request may expand, all its CIDRs together'),
  DNS_RESOLVER: hostPort.optional().describe('DNS server (host:port) for discovery (unset: the system resolver)'),
  NMAP_PATH: z.string().min(1).default('nmap').describe('The nmap binary'),
  DISCOVERY_CHUNK_HOSTS: int(1, 100_000)
    .default(1_024)
    .describe('asm_discovery: host items one attempt emits; a larger range continues in further attempts'),
  HOST_SCAN_HOSTS: int(1, 100_000)
    .default(256)
    .describe('host_scan: hosts scanned at once per copy (its concurrency unless `asmvs run --concurrency` says)'),
  HOST_SCAN_CONNECTIONS: int(1, 100_000)
    .default(2_048)
    .describe('host_scan: TCP connections (pings and port probes) open at once per copy; a request may lower it'),
  HOST_SCAN_RATE: int(0, 10_000_000)
    .default(0)
    .describe('host_scan: new TCP connections per second per copy (0: no rate limit); a request may lower it'),
  HOST_SCAN_TIMEOUT_MS: int(1_000, 86_400_000)
    .default(900_000)
    .describe('host_scan: wall-clock budget of one host, pings to service identification'),
  HOST_PING_PORTS: csv(z.string().regex(/^\d{1,5}$/, 'each entry must be a port number'))
    .transform((ports, ctx) => {
      const out = ports.map(Number);
      if (out.length === 0 || out.some((p) => p < 1 || p > 65_535))
        ctx.addIssue({ code: 'custom', message: 'must list ports between 1 and 65535' });
      return out;
    })
    .default([80, 443, 22, 3389])
    .describe('Host discovery: TCP ports a host is pinged on (a connection or a reset means up)'),
  HOST_PING_MIN_TIMEOUT_MS: int(10, 60_000)
    .default(100)
    .describe("Host discovery: the shortest ping timeout, however fast live hosts answer (nmap's min-rtt-timeout)"),
  HOST_PING_MAX_TIMEOUT_MS: int(10, 60_000)
    .default(3_000)
    .describe("Host discovery: the longest ping timeout (a request's first pings wait 1 s, within these)"),
  PROGRESS_REPORT_MS: int(100, 3_600_000)
    .default(1_000)
    .describe('asm_progress: how often a running discovery request reports its counts'),
  SCAN_ENGINE: z.enum(['builtin', 'platform']).default('builtin').describe('Default scan engine'),
  SCAN_DEADLINE_MS: int(1_000, 86_400_000).default(3_600_000).describe('Deadline of one scan'),

  MONITOR_MIN_INTERVAL_MS: int(1_000, 365 * 86_400_000)
    .default(3_600_000)
    .describe("Shortest interval a monitor or a rescan rule may have (the operator's floor)"),
  RESCAN_POLICY: z
    .string()
    .default('score:70=1d,*=7d')
    .describe(
      'Scheduled rescans: first matching rule of tag:<tag>=<every>, score:<n>=<every>, level:<LEVEL>=<every>, *=<every>; off: none',
    ),
  CERT_EXPIRY_WARNING_MS: int(0, 365 * 86_400_000)
    .default(30 * 86_400_000)
    .describe('A certificate expiring within this long yields one CERTIFICATE_EXPIRING change'),
  ASSET_GONE_AFTER_ROUNDS: int(1, 100)
    .default(2)
    .describe('A monitored asset missing from this many rounds in a row is reported ASSET_DISAPPEARED'),
});

export type Settings = z.output<typeof settingsSchema>;
export type SettingName = keyof Settings;

/** What no single setting's schema can say: rules between settings. Checked by loadConfig with the rest. */
export function crossSettingProblems(
  s: Partial<Pick<Settings, 'KAFKA_SESSION_TIMEOUT_MS' | 'KAFKA_HEARTBEAT_INTERVAL_MS'>>,
): { name: SettingName; problem: string }[] {
  const problems: { name: SettingName; problem: string }[] = [];
  const session = s.KAFKA_SESSION_TIMEOUT_MS ?? DEFAULT_SESSION_TIMEOUT_MS;
  const heartbeat = s.KAFKA_HEARTBEAT_INTERVAL_MS ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
  if (heartbeat * 3 > session)
    problems.push({
      name: 'KAFKA_HEARTBEAT_INTERVAL_MS',
      problem: `must be at most a third of KAFKA_SESSION_TIMEOUT_MS (${session}), got ${heartbeat}`,
    });
  return problems;
}
