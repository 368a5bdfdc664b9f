// The one error catalogue. Every error asmvs raises has a stable `code` from this table, and the table tells the
// runner what to do with an event that failed with it — one of three dispositions:
// - dead-letter at once (`retryable: false`): a fault of the event itself that no retry can fix;
// - retry with backoff, then dead-letter (`retryable: true`): a transient fault of this event, within its budget
//   (RETRY_MAX_ATTEMPTS);
// - wait (`unavailable: true`, also retryable for callers outside the runners): infrastructure the stage needs did
//   not answer (registry, broker, database, the platform API's transport). The runner holds the event and its
//   partition — paused, backing off, not ready — without spending its retry budget, until the infrastructure is back.
// Dispatch on `code`, never on text.

export const ERROR_CATALOGUE = {
  // configuration and arguments
  CONFIG_INVALID: { retryable: false, summary: 'a setting is missing or malformed' },
  USAGE: { retryable: false, summary: 'a command-line argument is missing or malformed' },

  // the wire format and the schema registry
  DECODE_NO_MAGIC_BYTE: { retryable: false, summary: 'the bytes do not start with the Confluent magic byte 0' },
  DECODE_UNKNOWN_SCHEMA: { retryable: false, summary: 'the schema id is not known to the registry' },
  DECODE_INVALID_BODY: { retryable: false, summary: 'the Avro body is truncated or does not match its schema' },
  DECODE_SCHEMA_MISMATCH: { retryable: false, summary: "the writer's schema cannot be resolved to the reader's" },
  ENCODE_INVALID: { retryable: false, summary: 'the value does not match the topic schema' },
  SCHEMA_INCOMPATIBLE: { retryable: false, summary: 'the registry rejected the schema as incompatible' },
  REGISTRY_UNAVAILABLE: { retryable: true, unavailable: true, summary: 'the schema registry did not answer' },

  // Kafka
  KAFKA_UNAVAILABLE: { retryable: true, unavailable: true, summary: 'the Kafka cluster did not answer' },
  TOPIC_MISSING: { retryable: false, summary: 'a topic the stage needs does not exist' },

  // targets and scope
  TARGET_INVALID: { retryable: false, summary: 'the target is not a valid address, network, hostname or URL' },
  TARGET_OUT_OF_SCOPE: { retryable: false, summary: "the target is outside the operator's or the request's scope" },
  TARGET_TOO_LARGE: { retryable: false, summary: 'the network or port range is larger than the configured cap' },
  DNS_FAILED: { retryable: true, summary: 'a DNS query failed or timed out' },
  DNS_NOT_FOUND: { retryable: false, summary: 'the name does not exist' },

  // scanners
  SCANNER_UNKNOWN: { retryable: false, summary: 'no scanner has that name' },
  SCANNER_NOT_INSTALLED: { retryable: false, summary: "the scanner's binary is not on PATH" },
  SCANNER_FAILED: { retryable: true, summary: 'the scanner exited with an error' },
  SCANNER_TIMEOUT: { retryable: true, summary: 'the scanner did not finish before its timeout' },
  OUTPUT_TOO_LARGE: { retryable: false, summary: 'the output is larger than the configured cap' },

  // reports and normalization
  REPORT_UNPARSEABLE: { retryable: false, summary: 'the report is malformed or truncated' },
  REPORT_FORMAT_UNKNOWN: { retryable: false, summary: 'the report format could not be detected' },
  REPORT_UNSAFE: { retryable: false, summary: 'the report uses a DTD, entities or nesting that are refused' },
  REPORT_TOO_LARGE: {
    retryable: false,
    summary: 'the report, one item in it, or its distinct findings exceed what the normalizer accepts',
  },

  // the platform API
  API_UNAVAILABLE: { retryable: true, summary: 'the platform API answered with a server error (5xx)' },
  API_UNREACHABLE: {
    retryable: true,
    unavailable: true,
    summary: 'the platform API could not be reached (connection refused or reset, timeout)',
  },
  API_RATE_LIMITED: { retryable: true, summary: 'the platform API asked us to slow down (429)' },
  API_REJECTED: { retryable: false, summary: 'the platform API refused the request (4xx)' },
  API_BAD_RESPONSE: { retryable: false, summary: 'the platform API answered with a malformed body' },
  SCAN_DEADLINE_EXCEEDED: { retryable: false, summary: 'the scan did not complete before its deadline' },
  ENGINE_UNAVAILABLE: {
    retryable: false,
    summary: 'the request asks for an engine this deployment is not configured for (PLATFORM without API_BASE_URL)',
  },

  // persistence
  DATABASE_UNAVAILABLE: { retryable: true, unavailable: true, summary: 'PostgreSQL did not answer' },
  DATABASE_REJECTED: {
    retryable: false,
    summary: 'PostgreSQL refused the data (SQLSTATE class 22 data exception or 23 integrity constraint)',
  },
  SCAN_FINDINGS_MISSING: {
    retryable: false,
    summary: "a complete scan's findings were not all stored within RESOLVE_WAIT_MS",
  },

  MONITOR_INVALID: { retryable: false, summary: "a monitor's interval or target is malformed or refused" },

  // the runtime
  KEYED_STATE_INVALID: {
    retryable: false,
    summary: 'a timer or per-key state is malformed, too large, or used by a stage that is not keyed',
  },
  ABORTED: { retryable: true, summary: 'the work was aborted (shutdown or rebalance) and will run again' },
  INTERNAL: { retryable: false, summary: 'an invariant of asmvs itself broke (a bug): reported, never retried' },
  HANDLER_FAILED: { retryable: true, summary: 'the processor threw an error that carries no code' },
} as const satisfies Record<string, { retryable: boolean; unavailable?: true; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export class AsmvsError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  /** Infrastructure did not answer: the runner waits for it instead of spending the event's retry budget. */
  readonly unavailable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AsmvsError';
    this.code = code;
    const entry: { retryable: boolean; unavailable?: true } = ERROR_CATALOGUE[code];
    this.retryable = entry.retryable;
    this.unavailable = entry.unavailable === true;
    this.details = Object.freeze({ ...options.details });
  }
}

export function isAsmvsError(error: unknown): error is AsmvsError {
  return error instanceof AsmvsError;
}

/** Any thrown value as an AsmvsError: ours unchanged, anything else as HANDLER_FAILED (retryable, then DLQ). */
export function toAsmvsError(error: unknown): AsmvsError {
  if (error instanceof AsmvsError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AsmvsError('HANDLER_FAILED', message, { cause: error });
}
