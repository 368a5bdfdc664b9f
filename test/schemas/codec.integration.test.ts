// The codec against the real registry and broker: Confluent wire format, writer-schema lookup by id,
// BACKWARD compatibility enforcement, and typed errors for bytes that are not what they claim.
import { createTopicsSettled } from '../../src/runtime/kafka/create-topics.ts';
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { createRegistryCodec } from '../../src/schemas/codec.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { requireKafka } from '../../src/config/config.ts';
import { schemaOf } from '../../src/schemas/registry-files.ts';
import { AsmvsError } from '../../src/errors.ts';
import type { JobStatus } from '../../src/schemas/types.gen.ts';
import { SCHEMA_REGISTRY_URL, stackConfig, uniquePrefix } from '../helpers/stack.ts';

const prefix = uniquePrefix('codec');
const kafka = createKafka(requireKafka(stackConfig()), 'codec-test');
const topicsToDelete: string[] = [];

after(async () => {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: topicsToDelete }).catch(() => undefined);
  await admin.disconnect();
});

function status(requestId: string): JobStatus {
  return {
    eventId: randomUUID(),
    requestId,
    producedAt: Date.now(),
    producer: { stage: 'test', version: '0' },
    stage: 'asm_discovery',
    state: 'RUNNING',
    subject: null,
    message: 'resolving',
    errorCode: null,
    done: 1,
    total: 4,
    counts: {},
  };
}

const isCode = (code: string) => (error: unknown) => error instanceof AsmvsError && error.code === code;

test('an Avro event produced to a real topic is decoded by a group consumer through the registry id', async () => {
  const producerCodec = createRegistryCodec({ url: SCHEMA_REGISTRY_URL, topicPrefix: prefix });
  await producerCodec.register(['job-status']);
  const topic = `${prefix}job-status`;
  topicsToDelete.push(topic);
  const admin = kafka.admin();
  await admin.connect();
  await createTopicsSettled(admin, [{ topic, numPartitions: 1, replicationFactor: 1 }]);
  await admin.disconnect();

  const sent = status('req-1');
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({ topic, messages: [{ key: sent.requestId, value: producerCodec.encode('job-status', sent) }] });
  await producer.disconnect();

  // A separate codec, as in another process: it knows nothing but the id in the bytes.
  const consumerCodec = createRegistryCodec({ url: SCHEMA_REGISTRY_URL, topicPrefix: prefix });
  const consumer = kafka.consumer({ groupId: `${prefix}g`, maxWaitTimeInMs: 50 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const received = await new Promise<{ id: number; value: JobStatus }>((resolve, reject) => {
    void consumer.run({
      eachMessage: async ({ message }) => {
        const bytes = message.value ?? Buffer.alloc(0);
        Promise.resolve()
          .then(() => consumerCodec.decode('job-status', bytes))
          .then((value) => resolve({ id: bytes.readInt32BE(1), value }), reject);
      },
    });
  });
  await consumer.disconnect();
  assert.equal(received.id, producerCodec.schemaId('job-status'));
  assert.deepEqual(JSON.parse(JSON.stringify(received.value)), sent);
});

test("a consumer resolves an older writer's events to its newer reader schema", async () => {
  const registry = new SchemaRegistry({ host: SCHEMA_REGISTRY_URL });
  const subject = `${prefix}evolving-value`;
  const older = schemaOf('job-status') as { fields: { name: string }[] };
  // The older writer had no `counts` field; the reader's default fills it.
  const olderSchema = { ...older, fields: older.fields.filter((f) => f.name !== 'counts') };
  const { id } = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(olderSchema) }, { subject });
  const writer = await registry.getSchema(id);
  const { counts: _counts, ...olderValue } = status('req-2');
  const body = (writer as unknown as { toBuffer(v: unknown): Buffer }).toBuffer(olderValue);
  const header = Buffer.from([0, 0, 0, 0, 0]);
  header.writeInt32BE(id, 1);
  const codec = createRegistryCodec({ url: SCHEMA_REGISTRY_URL, topicPrefix: prefix });
  const bytes = Buffer.concat([header, body]);
  const first = codec.decode('job-status', bytes);
  assert.ok(first instanceof Promise, 'the writer schema of a new id is fetched from the registry first');
  const decoded = await first;
  assert.deepEqual({ ...decoded.counts }, {});
  assert.equal(decoded.requestId, 'req-2');
  // Once the id is known, decoding is synchronous: the value itself, through the same resolver.
  const again = codec.decode('job-status', bytes);
  assert.ok(!(again instanceof Promise));
  assert.deepEqual(again, decoded);
});

test("values written with a topic's own schema decode at once after register() or prime(), with no lookup", async () => {
  const p = uniquePrefix('codec-prime');
  const writer = createRegistryCodec({ url: SCHEMA_REGISTRY_URL, topicPrefix: p });
  await writer.register(['job-status']);
  const bytes = writer.encode('job-status', status('req-prime'));
  const own = writer.decode('job-status', bytes);
  assert.ok(!(own instanceof Promise), 'the writer reads its own topic without asking the registry');
  assert.equal(own.requestId, 'req-prime');

  const reader = createRegistryCodec({ url: SCHEMA_REGISTRY_URL, topicPrefix: p });
  const unprimed = createRegistryCodec({ url: SCHEMA_REGISTRY_URL, topicPrefix: p });
  // assets was never registered under this prefix: nothing to prime, and no error
  await reader.prime(['job-status', 'assets']);
  const first = reader.decode('job-status', bytes);
  assert.ok(!(first instanceof Promise), "a primed reader's first value needs no registry lookup");
  const fetched = unprimed.decode('job-status', bytes);
  assert.ok(fetched instanceof Promise, 'without prime() the first value waits for its writer schema');
  assert.deepEqual(first, await fetched);

  // a registry that does not answer primes nothing and fails nothing: the first value fetches as before
  const offline = createRegistryCodec({ url: 'http://127.0.0.1:9/apis/ccompat/v7', topicPrefix: p });
  await offline.prime(['job-status']);
  await assert.rejects(async () => offline.decode('job-status', bytes), isCode('REGISTRY_UNAVAILABLE'));
});

test('a schema change that breaks BACKWARD compatibility is rejected by the registry', async () => {
  const registry = new SchemaRegistry({ host: SCHEMA_REGISTRY_URL });
  const subject = `${prefix}compat-value`;
  const v1 = { type: 'record', name: 'Thing', namespace: 'test', fields: [{ name: 'a', type: 'string' }] };
  // A new required field without a default: new readers cannot read old data.
  const v2 = { ...v1, fields: [...v1.fields, { name: 'b', type: 'int' }] };
  const v3 = { ...v1, fields: [...v1.fields, { name: 'b', type: 'int', default: 0 }] };
  await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v1) }, { subject });
  await assert.rejects(
    registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v2) }, { subject }),
    (e: { status?: number }) => e.status === 409,
  );
  const accepted = await registry.register({ type: SchemaType.AVRO, schema: JSON.stringify(v3) }, { subject });
  assert.ok(accepted.id > 0);
});

test('the codec reports a rejected incompatible schema as SCHEMA_INCOMPATIBLE', async () => {
  const registry = new SchemaRegistry({ host: SCHEMA_REGISTRY_URL });
  const p = uniquePrefix('codec-incompat');
  const incompatible = { type: 'record', name: 'Other', fields: [{ name: 'x', type: 'int' }] };
  await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(incompatible) },
    { subject: `${p}job-status-value` },
  );
  const codec = createRegistryCodec({ url: SCHEMA_REGISTRY_URL, topicPrefix: p });
  await assert.rejects(codec.register(['job-status']), isCode('SCHEMA_INCOMPATIBLE'));
});

test('bad bytes give typed, non-retryable errors and never hang', async () => {
  const codec = createRegistryCodec({ url: SCHEMA_REGISTRY_URL, topicPrefix: prefix });
  await codec.register(['job-status']);
  const good = codec.encode('job-status', status('req-3'));

  await assert.rejects(
    async () => codec.decode('job-status', Buffer.from('plain text, no magic byte')),
    isCode('DECODE_NO_MAGIC_BYTE'),
  );

  const unknownId = Buffer.from(good);
  unknownId.writeInt32BE(987_654_321, 1);
  await assert.rejects(
    async () => codec.decode('job-status', unknownId),
    (e: unknown) => isCode('DECODE_UNKNOWN_SCHEMA')(e) && !(e as AsmvsError).retryable,
  );

  const truncated = good.subarray(0, good.length - 6);
  await assert.rejects(
    async () => codec.decode('job-status', truncated),
    (e: unknown) => isCode('DECODE_INVALID_BODY')(e) && !(e as AsmvsError).retryable,
  );

  await assert.rejects(async () => codec.decode('assets', good), isCode('DECODE_SCHEMA_MISMATCH'));
});

test('encoding a value that does not match the schema names the bad fields', () => {
  const codec = createRegistryCodec({ url: SCHEMA_REGISTRY_URL, topicPrefix: prefix });
  return codec.register(['job-status']).then(() => {
    const bad = { ...status('r'), state: 'SLEEPING' } as unknown as JobStatus;
    assert.throws(
      () => codec.encode('job-status', bad),
      (e: unknown) => isCode('ENCODE_INVALID')(e) && /state/.test((e as Error).message),
    );
  });
});

test('an unreachable registry is a retryable REGISTRY_UNAVAILABLE, not an unknown schema', async () => {
  const codec = createRegistryCodec({ url: 'http://127.0.0.1:9/apis/ccompat/v7', topicPrefix: prefix });
  const bytes = Buffer.from([0, 0, 0, 0, 1, 2]);
  await assert.rejects(
    async () => codec.decode('job-status', bytes),
    (e: unknown) => isCode('REGISTRY_UNAVAILABLE')(e) && (e as AsmvsError).retryable,
  );
});
