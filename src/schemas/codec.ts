// Avro in the Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro binary) through a
// Confluent-compatible schema registry. Writers encode with the schema registered under `<topic>-value`;
// readers fetch the writer's schema by id and resolve it to their own reader schema.
import avro from 'avsc';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { AsmvsError } from '../errors.ts';
import { schemaOf, type SchemaTopic } from './registry-files.ts';
import type { TopicValues } from './types.gen.ts';
import { readerType } from './reader-types.ts';
import { parseWireHeader, WIRE_HEADER_BYTES } from './wire.ts';
import { fetchWriterSchema } from './fetch-writer-schema.ts';

export interface RegistryOptions {
  readonly url: string;
  readonly auth?: { readonly username: string; readonly password: string };
  /** Prepended to topic names and so to subjects (`<prefix><topic>-value`). */
  readonly topicPrefix?: string;
}

export interface Codec {
  /** Registers the schemas of these topics (idempotent) so that encode() can run synchronously. */
  register(topics: readonly SchemaTopic[]): Promise<void>;
  encode<T extends SchemaTopic>(topic: T, value: TopicValues[T]): Buffer;
  decode<T extends SchemaTopic>(topic: T, bytes: Buffer): Promise<TopicValues[T]>;
  /** The registry id a topic's values are written with (after register). */
  schemaId(topic: SchemaTopic): number;
}

export function subjectOf(topic: string, prefix = ''): string {
  return `${prefix}${topic}-value`;
}

interface RegistryFailure {
  status?: number;
  message?: string;
}

export function createRegistryCodec(options: RegistryOptions): Codec {
  const prefix = options.topicPrefix ?? '';
  const registry = new SchemaRegistry({
    host: options.url,
    clientId: 'asmvs',
    retry: { retries: 2, maxRetryTimeInSecs: 2 },
    ...(options.auth ? { auth: { username: options.auth.username, password: options.auth.password } } : {}),
  });
  const writerIds = new Map<SchemaTopic, number>();
  const writerTypes = new Map<number, Promise<avro.Type>>();
  const resolvers = new Map<string, ReturnType<avro.Type['createResolver']> | null>();
  let scratch = Buffer.allocUnsafe(64 * 1024); // encode() writes here first; grown when a value does not fit

  const registerOne = async (topic: SchemaTopic) => {
    if (writerIds.has(topic)) return;
    const subject = subjectOf(topic, prefix);
    try {
      const { id } = await registry.register(
        { type: SchemaType.AVRO, schema: JSON.stringify(schemaOf(topic)) },
        { subject },
      );
      writerIds.set(topic, id);
    } catch (error) {
      throw registryError(error, `registering ${subject}`);
    }
  };

  const writerType = (id: number): Promise<avro.Type> => {
    let type = writerTypes.get(id);
    if (!type) {
      type = fetchWriterSchema(options, id).then(
        (schema) => avro.Type.forSchema(schema as avro.Schema),
        (error: unknown) => {
          writerTypes.delete(id); // a registry outage must not be remembered as an answer
          throw error;
        },
      );
      writerTypes.set(id, type);
    }
    return type;
  };

  return {
    async register(topics) {
      for (const topic of topics) await registerOne(topic);
    },

    schemaId(topic) {
      const id = writerIds.get(topic);
      if (id === undefined)
        throw new AsmvsError('INTERNAL', `schema of ${topic} is not registered; call codec.register() first`);
      return id;
    },

    encode(topic, value) {
      const id = this.schemaId(topic);
      const type = readerType(topic);
      let end: number;
      try {
        // Header and body are written into one scratch buffer and copied out once: one allocation per value
        // rather than three (avsc's toBuffer, the header, Buffer.concat).
        end = type.encode(value, scratch, WIRE_HEADER_BYTES);
        while (end < 0) {
          scratch = Buffer.allocUnsafe(Math.max(scratch.length * 2, scratch.length - end));
          end = type.encode(value, scratch, WIRE_HEADER_BYTES);
        }
      } catch (cause) {
        const paths: string[] = [];
        type.isValid(value, { errorHook: (path) => paths.push(path.join('.')) });
        throw new AsmvsError(
          'ENCODE_INVALID',
          `value does not match the ${topic} schema at: ${paths.join(', ') || '(root)'}`,
          {
            cause,
            details: { topic, paths },
          },
        );
      }
      const out = Buffer.allocUnsafe(end);
      out.writeUInt8(0, 0);
      out.writeInt32BE(id, 1);
      scratch.copy(out, WIRE_HEADER_BYTES, WIRE_HEADER_BYTES, end);
      return out;
    },

    async decode(topic, bytes) {
      const { schemaId, body } = parseWireHeader(bytes);
      const reader = readerType(topic);
      const cacheKey = `${topic}\u0000${schemaId}`;
      let resolver = resolvers.get(cacheKey);
      if (resolver === undefined) {
        const writer = await writerType(schemaId);
        try {
          resolver = writer.equals(reader) ? null : reader.createResolver(writer);
        } catch (cause) {
          throw new AsmvsError(
            'DECODE_SCHEMA_MISMATCH',
            `writer schema ${schemaId} cannot be read as ${topic}: ${(cause as Error).message}`,
            {
              cause,
              details: { topic, schemaId },
            },
          );
        }
        resolvers.set(cacheKey, resolver);
      }
      try {
        return (resolver ? reader.fromBuffer(body, resolver) : reader.fromBuffer(body)) as TopicValues[typeof topic];
      } catch (cause) {
        throw new AsmvsError(
          'DECODE_INVALID_BODY',
          `Avro body of ${bytes.length} bytes does not decode as ${topic}: ${(cause as Error).message}`,
          {
            cause,
            details: { topic, schemaId },
          },
        );
      }
    },
  };
}

// The registry client (mappersmith) reports a refused connection as HTTP 400, so 400 cannot mean "bad request"
// here; only the statuses below are trusted to be the registry's own answer.
function registryError(error: unknown, what: string): AsmvsError {
  const status = (error as RegistryFailure).status;
  const message = (error as RegistryFailure).message ?? String(error);
  if (
    status === 409 ||
    status === 422 ||
    (error instanceof Error && error.name === 'ConfluentSchemaRegistryCompatibilityError')
  ) {
    return new AsmvsError('SCHEMA_INCOMPATIBLE', `${what}: ${message}`, { cause: error });
  }
  if (status === 401 || status === 403) {
    return new AsmvsError(
      'CONFIG_INVALID',
      `${what}: the registry refused our credentials (${status}); check SCHEMA_REGISTRY_USERNAME/PASSWORD`,
      { cause: error },
    );
  }
  return new AsmvsError('REGISTRY_UNAVAILABLE', `${what}: ${message}`, { cause: error });
}
