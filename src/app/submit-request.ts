// Submits a request: the request event into its topic (acks=all), then an ACCEPTED job-status, so that whoever
// follows the request sees it was taken into the log before any stage picked it up. The request starts a trace:
// both carry its traceparent, and every stage's outputs and logs follow it (src/observability/tracing.ts). What is
// produced is checked first, before the trace starts (check-request.ts): the command checks before it reads anything
// from Kafka, this checks what is sent.
import type { Config } from '../config/config.ts';
import { requestAccepted } from '../processors/job-events.ts';
import { publishEvent } from '../runtime/kafka/publish.ts';
import type { KafkaSource } from '../runtime/kafka/session.ts';
import type { TopicValues } from '../schemas/types.gen.ts';
import { requestSpan, startTracing, stopTracing } from '../observability/tracing.ts';
import { checkRequest } from './check-request.ts';

/** On the session given (the app's), or on one opened from `config` for each event. */
export async function submitRequest<T extends 'discovery-requests' | 'scan-requests'>(
  config: Config,
  topic: T,
  key: string,
  request: TopicValues[T],
  kafka: KafkaSource = config,
): Promise<{ traceId: string | undefined }> {
  checkRequest(config.scope, request);
  await startTracing({ endpoint: config.tracing?.endpoint, serviceName: config.tracing?.serviceName ?? 'asmvs' });
  const { requestId } = request;
  const span = requestSpan(topic, requestId);
  try {
    const headers = span.traceparent ? { traceparent: span.traceparent } : undefined;
    await publishEvent(kafka, topic, key, request, headers);
    await publishEvent(
      kafka,
      'job-status',
      requestId,
      requestAccepted(requestId, `request in ${topic}`, Date.now()),
      headers,
    );
    span.end('done');
  } catch (error) {
    span.end('failed');
    throw error;
  } finally {
    await stopTracing();
  }
  return { traceId: span.traceId };
}
