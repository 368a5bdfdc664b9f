// Kafka: an ApiVersions (key 18) v0 request. A Kafka broker answers with our correlation id and its API ranges;
// it never states its software version, so none is reported.
import { ask, identified, type Identified, type ProbeTarget } from './identified.ts';

const CORRELATION_ID = 0x61736d76; // "asmv"

export function apiVersionsRequest(): Buffer {
  const clientId = Buffer.from('asmvs', 'utf8');
  const body = Buffer.alloc(2 + 2 + 4 + 2);
  body.writeInt16BE(18, 0);
  body.writeInt16BE(0, 2);
  body.writeInt32BE(CORRELATION_ID, 4);
  body.writeInt16BE(clientId.length, 8);
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length + clientId.length, 0);
  return Buffer.concat([size, body, clientId]);
}

export function parseApiVersions(data: Buffer): Identified | null {
  if (data.length < 10) return null;
  const size = data.readInt32BE(0);
  if (size < 6 || size > 1 << 20 || data.readInt32BE(4) !== CORRELATION_ID) return null;
  const errorCode = data.readInt16BE(8);
  const attributes: Record<string, string> = { error_code: String(errorCode) };
  if (data.length >= 14) {
    const count = data.readInt32BE(10);
    if (count >= 0 && count < 1000) attributes.api_keys = String(count);
  }
  return identified('kafka', { product: 'Apache Kafka', attributes });
}

export async function probeKafka(t: ProbeTarget): Promise<Identified | null> {
  const reply = await ask(t, apiVersionsRequest(), {
    complete: (d) => d.length >= 4 && d.length >= 4 + d.readInt32BE(0),
  });
  return parseApiVersions(reply.data);
}
