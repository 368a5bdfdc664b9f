// kafkajs errors in the catalogue's terms. kafkajs 2.2.4 retries a failed connection itself and then throws
// KafkaJSNumberOfRetriesExceeded around the last KafkaJSConnectionError; a missing topic is a KafkaJSProtocolError
// UNKNOWN_TOPIC_OR_PARTITION, which kafkajs marks retriable although no retry creates the topic.
import { AsmvsError } from '../../errors.ts';

interface KafkaJSErrorLike {
  readonly name?: string;
  readonly type?: string;
  readonly retriable?: boolean;
  readonly cause?: unknown;
  readonly originalError?: unknown;
}

function* chain(error: unknown): Generator<KafkaJSErrorLike> {
  for (let e = error, depth = 0; e !== null && typeof e === 'object' && depth < 8; depth += 1) {
    const link = e as KafkaJSErrorLike;
    yield link;
    e = link.cause ?? link.originalError;
  }
}

/** KAFKA_UNAVAILABLE for a broker that did not answer, TOPIC_MISSING for a missing topic, else the error itself. */
export function kafkaError(error: unknown, what: string): unknown {
  if (error instanceof AsmvsError) return error;
  const links = [...chain(error)];
  const message = `${what}: ${error instanceof Error ? error.message : String(error)}`;
  if (links.some((e) => e.type === 'UNKNOWN_TOPIC_OR_PARTITION'))
    return new AsmvsError('TOPIC_MISSING', `${message} (asmvs topics create)`, { cause: error });
  if (links.some((e) => e.retriable === true || e.name === 'KafkaJSNumberOfRetriesExceeded'))
    return new AsmvsError('KAFKA_UNAVAILABLE', message, { cause: error });
  return error;
}
