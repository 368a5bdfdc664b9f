// W3C trace context across hops: an output's traceparent keeps the input's trace id with a new span id, so one
// request can be followed from discovery to findings. Malformed input headers are dropped, not propagated.
import { randomBytes } from 'node:crypto';

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export function childTraceparent(parent: string | undefined): string | undefined {
  const match = parent === undefined ? null : TRACEPARENT.exec(parent.trim());
  if (!match) return undefined;
  const [, version, traceId, , flags] = match;
  if (version === 'ff' || /^0+$/.test(traceId as string)) return undefined;
  return `00-${traceId}-${randomBytes(8).toString('hex')}-${flags}`;
}
