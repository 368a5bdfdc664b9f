// Tracing. A request starts a trace where the CLI submits it (its traceparent header rides on the request event);
// each stage handles an event in a span whose parent is the input's traceparent, and its outputs carry that span as
// their parent, so a request can be followed from submission to findings. Logs of an event carry its traceId.
// Spans are exported (OTLP over HTTP, protobuf) only when OTEL_EXPORTER_OTLP_ENDPOINT is set; otherwise nothing is
// recorded and the traceparent headers are made the same way (W3C trace context), at no cost.
import { randomBytes } from 'node:crypto';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Span, type Tracer } from '@opentelemetry/api';
import type { TracerProvider } from '@opentelemetry/sdk-trace';
import { VERSION } from '../version.ts';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

interface ParsedTraceparent {
  readonly traceId: string;
  readonly spanId: string;
  readonly flags: number;
}

function parseTraceparent(header: string | undefined): ParsedTraceparent | undefined {
  const match = header === undefined ? null : TRACEPARENT.exec(header.trim());
  if (!match) return undefined;
  const [, version, traceId, spanId, flags] = match as unknown as [string, string, string, string, string];
  if (version === 'ff' || /^0+$/.test(traceId) || /^0+$/.test(spanId)) return undefined;
  return { traceId, spanId, flags: Number.parseInt(flags, 16) };
}

const format = (traceId: string, spanId: string, flags: number) =>
  `00-${traceId}-${spanId}-${flags.toString(16).padStart(2, '0')}`;

/** The trace id of a traceparent header, for log lines; undefined when absent or malformed. */
export function traceIdOf(traceparent: string | undefined): string | undefined {
  return parseTraceparent(traceparent)?.traceId;
}

let tracer: Tracer | undefined;
let provider: TracerProvider | undefined;

/**
 * Starts exporting spans to `endpoint` (the OTLP base URL; spans go to <endpoint>/v1/traces). Once per process;
 * stopTracing() flushes what is left. The SDK and the exporter (some 250 modules) are imported only then: a process
 * that exports no spans — the one-shot scan, every CLI command without OTEL_EXPORTER_OTLP_ENDPOINT — never loads them.
 */
export async function startTracing(options: { endpoint: string | undefined; serviceName: string }): Promise<void> {
  if (!options.endpoint || provider) return;
  const [{ BatchSpanProcessor, TracerProvider }, { OTLPTraceExporter }, { resourceFromAttributes }] = await Promise.all(
    [
      import('@opentelemetry/sdk-trace'),
      import('@opentelemetry/exporter-trace-otlp-proto'),
      import('@opentelemetry/resources'),
    ],
  );
  if (provider) return; // started meanwhile
  const exporter = new OTLPTraceExporter({ url: `${options.endpoint.replace(/\/+$/, '')}/v1/traces` });
  provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName, 'service.version': VERSION }),
    spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: 1_000 })],
  });
  tracer = provider.getTracer('asmvs', VERSION);
}

/** Exports the spans still buffered and stops; the next startTracing() starts afresh. */
export async function stopTracing(): Promise<void> {
  const stopping = provider;
  provider = undefined;
  tracer = undefined;
  await stopping?.shutdown();
}

export interface TraceSpan {
  /** The traceparent for what this span produces: the span is their parent. */
  readonly traceparent: string | undefined;
  readonly traceId: string | undefined;
  end(outcome: 'done' | 'failed' | 'aborted', errorCode?: string): void;
}

const NOOP_END = () => undefined;
/** The span of an event that carries no trace context: nothing to end, nothing to propagate. */
export const NO_TRACE: TraceSpan = Object.freeze({ traceparent: undefined, traceId: undefined, end: NOOP_END });

function spanOf(span: Span | undefined, fallback: { traceId: string; flags: number } | undefined): TraceSpan {
  if (!span) {
    // Not recording: the same headers a recording span would give, with a new span id.
    const traceparent = fallback && format(fallback.traceId, randomBytes(8).toString('hex'), fallback.flags);
    return { traceparent, traceId: fallback?.traceId, end: NOOP_END };
  }
  const context = span.spanContext();
  return {
    traceparent: format(context.traceId, context.spanId, context.traceFlags),
    traceId: context.traceId,
    end(outcome, errorCode) {
      span.setAttribute('asmvs.outcome', outcome);
      if (errorCode !== undefined) span.setAttribute('asmvs.error_code', errorCode);
      if (outcome === 'failed')
        span.setStatus({ code: SpanStatusCode.ERROR, ...(errorCode ? { message: errorCode } : {}) });
      span.end();
    },
  };
}

/**
 * The span of one event a stage handles, child of the input's traceparent. An event without a valid traceparent
 * (produced outside asmvs) gets no trace: its outputs carry none either, as before.
 */
export function eventSpan(
  stage: string,
  inputTraceparent: string | undefined,
  where: { topic: string; partition: number; offset: string },
): TraceSpan {
  const parent = parseTraceparent(inputTraceparent);
  if (!parent) return NO_TRACE;
  if (!tracer) return spanOf(undefined, parent);
  const context = trace.setSpanContext(ROOT_CONTEXT, {
    traceId: parent.traceId,
    spanId: parent.spanId,
    traceFlags: parent.flags,
    isRemote: true,
  });
  const span = tracer.startSpan(
    `${stage} process`,
    {
      kind: SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.operation.type': 'process',
        'messaging.destination.name': where.topic,
        'messaging.destination.partition.id': String(where.partition),
        'messaging.kafka.offset': Number(where.offset),
        'asmvs.stage': stage,
      },
    },
    context,
  );
  return spanOf(span, parent);
}

/** The root of a new trace: a request the CLI submits. Sampled (flags 01), so that every stage records it. */
export function requestSpan(topic: string, requestId: string): TraceSpan {
  if (!tracer) return spanOf(undefined, { traceId: randomBytes(16).toString('hex'), flags: 1 });
  const span = tracer.startSpan(`submit ${topic}`, {
    kind: SpanKind.PRODUCER,
    root: true,
    attributes: {
      'messaging.system': 'kafka',
      'messaging.operation.type': 'send',
      'messaging.destination.name': topic,
      'asmvs.request_id': requestId,
    },
  });
  return spanOf(span, undefined);
}
