// Byte samples of kafkajs's wire encoding (produce v3 requests: plain, transactional, gzip-compressed, and framed as
// a connection sends them; varints, record-batch checksums, per-partition grouping), made with the
// kafkajs installed beside `base`. test/fixtures/kafkajs/encoding-2.2.4.json holds them as made by kafkajs 2.2.4
// without our patch (patches/kafkajs+2.2.4.patch): the patched encoder must write the same bytes.
// Regenerate (against an unpatched install): node test/helpers/kafkajs-encoding.ts <dir with node_modules>
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface EncoderLike {
  writeVarInt(v: number): EncoderLike;
  writeUVarInt(v: number): EncoderLike;
  writeVarLong(v: number | string): EncoderLike;
  readonly buffer: Buffer;
}
interface EncoderClass {
  new (initialSize?: number): EncoderLike;
  sizeOfVarLong(v: number | string): number;
}
interface RequestLike {
  readonly apiKey: number;
  readonly apiVersion: number;
  encode(): Promise<EncoderLike>;
}
type ProduceRequest = (o: unknown) => RequestLike;
type Frame = (o: { correlationId: number; clientId: string | null; request: RequestLike }) => Promise<EncoderLike>;
type Grouping = (o: unknown) => Record<string, { key: string }[]>;
type Checksum = (bytes: Buffer) => number;

export const VARINT_SAMPLES = [0, 1, -1, 63, -64, 64, 127, 128, 300, -300, 2 ** 14, 2 ** 21 - 1, 2 ** 28, 2 ** 30 - 1];
export const VARLONG_SAMPLES: (number | string)[] = [
  ...VARINT_SAMPLES,
  -(2 ** 30),
  2 ** 30,
  -(2 ** 30) - 1,
  2 ** 31,
  -(2 ** 31),
  2 ** 32 + 5,
  1_764_876_543_210,
  -1_764_876_543_210,
  Number.MAX_SAFE_INTEGER,
  '9223372036854775807',
  '-9223372036854775808',
];

function produceInput() {
  const t0 = 1_764_876_543_210;
  const messages = (partition: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      key: i % 7 === 3 ? null : `key-${partition}-${i}`,
      value: Buffer.alloc(i % 5 === 0 ? 700 + i : 40 + i, i), // some past the encoder's first 512 bytes
      headers: i % 4 === 0 ? { traceparent: `00-${i}`, multi: ['a', Buffer.from('b')] } : {},
      timestamp: t0 + i * 997 + (i === 9 ? 2 ** 31 : 0), // one delta past 32 bits
    }));
  return {
    acks: -1,
    timeout: 30_000,
    transactionalId: null,
    producerId: 4242,
    producerEpoch: 3,
    compression: 0,
    topicData: [
      { topic: 'asmvs.keyed-state', partitions: [{ partition: 0, firstSequence: 17, messages: messages(0, 60) }] },
      {
        topic: 'asmvs.discovery-requests',
        partitions: [
          { partition: 2, firstSequence: 0, messages: messages(2, 3) },
          { partition: 11, firstSequence: 9, messages: messages(11, 25) },
        ],
      },
    ],
  };
}

export async function encodingSamples(base: string): Promise<Record<string, string | Record<string, string[]>>> {
  const load = createRequire(join(base, 'package.json'));
  const Encoder = load('kafkajs/src/protocol/encoder.js') as EncoderClass;
  const produce = load('kafkajs/src/protocol/requests/produce/v3/request.js') as ProduceRequest;
  const group = load('kafkajs/src/producer/groupMessagesPerPartition.js') as Grouping;
  const crc = load('kafkajs/src/protocol/recordBatch/crc32C/index.js') as Checksum;
  let seed = 11;
  const byte = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed & 0xff);
  const lengths = [...Array.from({ length: 70 }, (_, n) => n), 255, 256, 511, 600, 4099];
  const varints = new Encoder();
  for (const v of VARINT_SAMPLES) varints.writeVarInt(v).writeUVarInt(Math.abs(v));
  const varlongs = new Encoder();
  for (const v of VARLONG_SAMPLES) varlongs.writeVarLong(v);
  const request = await produce(produceInput()).encode();
  const frame = load('kafkajs/src/protocol/request.js') as Frame;
  // as a connection sends it: size-prefixed, with the request header
  const framed = await frame({ correlationId: 7, clientId: 'asmvs-test', request: produce(produceInput()) });
  const framedNoClient = await frame({ correlationId: 8, clientId: null, request: produce(produceInput()) });
  // a transactional producer's request, and a gzip-compressed one (compression 1)
  const transactional = await produce({ ...produceInput(), transactionalId: 'tx-ä1' }).encode();
  const gzip = await produce({ ...produceInput(), compression: 1 }).encode();
  const grouped = group({
    topic: 't',
    partitionMetadata: [{ partitionId: 0 }, { partitionId: 1 }, { partitionId: 2 }],
    messages: Array.from({ length: 40 }, (_, i) => ({ key: `k${i}` })),
    partitioner: ({ message }: { message: { key: string } }) => (Number(message.key.slice(1)) * 7) % 3,
  });
  return {
    varints: varints.buffer.toString('hex'),
    varlongs: varlongs.buffer.toString('hex'),
    varlongSizes: VARLONG_SAMPLES.map((v) => Encoder.sizeOfVarLong(v)).join(','),
    produceV3: request.buffer.toString('hex'),
    framed: framed.buffer.toString('hex'),
    framedNoClient: framedNoClient.buffer.toString('hex'),
    transactional: transactional.buffer.toString('hex'),
    gzip: gzip.buffer.toString('hex'),
    checksums: lengths.map((n) => crc(Buffer.from(Array.from({ length: n }, byte)))).join(','),
    grouped: Object.fromEntries(Object.entries(grouped).map(([p, ms]) => [p, ms.map((m) => m.key)])),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = new URL('../fixtures/kafkajs/encoding-2.2.4.json', import.meta.url);
  writeFileSync(out, `${JSON.stringify(await encodingSamples(process.argv[2] ?? process.cwd()), null, 1)}\n`);
}
