// A local OTLP/HTTP receiver for tests: POST /v1/traces with an ExportTraceServiceRequest in protobuf, decoded
// here by the field numbers of opentelemetry-proto (trace/v1/trace.proto, common/v1/common.proto) with a small
// wire-format reader, so the test sees exactly what the exporter sent.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSpan {
  readonly service: string | undefined;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  /** 1 internal, 2 server, 3 client, 4 producer, 5 consumer */
  readonly kind: number;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  /** 0 unset, 1 ok, 2 error */
  readonly statusCode: number;
}

type Field = { wire: number; value: bigint | Buffer };

/** One protobuf message: its fields by number, in order (repeated fields appear several times). */
function fields(buffer: Buffer): Map<number, Field[]> {
  const out = new Map<number, Field[]>();
  let i = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = buffer[i++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
    }
  };
  while (i < buffer.length) {
    const tag = Number(varint());
    const [number, wire] = [tag >>> 3, tag & 7];
    let value: bigint | Buffer;
    if (wire === 0) value = varint();
    else if (wire === 1) {
      value = buffer.subarray(i, i + 8);
      i += 8;
    } else if (wire === 2) {
      const length = Number(varint());
      value = buffer.subarray(i, i + length);
      i += length;
    } else if (wire === 5) {
      value = BigInt(buffer.readUInt32LE(i));
      i += 4;
    } else throw new Error(`unsupported wire type ${wire}`);
    out.set(number, [...(out.get(number) ?? []), { wire, value }]);
  }
  return out;
}

const bytes = (m: Map<number, Field[]>, n: number) => (m.get(n)?.[0]?.value as Buffer | undefined) ?? Buffer.alloc(0);
const all = (m: Map<number, Field[]>, n: number) => (m.get(n) ?? []).map((f) => f.value as Buffer);
const num = (m: Map<number, Field[]>, n: number) => Number((m.get(n)?.[0]?.value as bigint | undefined) ?? 0n);

function keyValues(list: Buffer[]): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const kv of list.map(fields)) {
    const any = fields(bytes(kv, 2));
    const key = bytes(kv, 1).toString('utf8');
    if (any.has(1)) out[key] = bytes(any, 1).toString('utf8');
    else if (any.has(2)) out[key] = num(any, 2) === 1;
    else if (any.has(3)) out[key] = Number(BigInt.asIntN(64, any.get(3)![0]!.value as bigint));
    else if (any.has(4)) out[key] = (any.get(4)![0]!.value as Buffer).readDoubleLE(0);
  }
  return out;
}

export function decodeTraceRequest(body: Buffer): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of all(fields(body), 1).map(fields)) {
    const resource = keyValues(all(fields(bytes(resourceSpans, 1)), 1));
    for (const scopeSpans of all(resourceSpans, 2).map(fields)) {
      for (const span of all(scopeSpans, 2).map(fields)) {
        spans.push({
          service: resource['service.name'] as string | undefined,
          traceId: bytes(span, 1).toString('hex'),
          spanId: bytes(span, 2).toString('hex'),
          parentSpanId: bytes(span, 4).toString('hex'),
          name: bytes(span, 5).toString('utf8'),
          kind: num(span, 6),
          attributes: keyValues(all(span, 9)),
          statusCode: num(fields(bytes(span, 15)), 3),
        });
      }
    }
  }
  return spans;
}

export interface OtlpReceiver {
  readonly endpoint: string;
  readonly spans: ReceivedSpan[];
  close(): Promise<void>;
}

export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (
        req.method === 'POST' &&
        req.url === '/v1/traces' &&
        req.headers['content-type'] === 'application/x-protobuf'
      ) {
        spans.push(...decodeTraceRequest(Buffer.concat(chunks)));
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
