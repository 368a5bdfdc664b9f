// Avro in the Confluent wire format (magic byte 0, 4-byte big-endian schema id, Avro binary) through a
// Confluent-compatible schema registry. Writers encode with the schema registered under `<topic>-value`;
// readers fetch the writer's schema by id and resolve it to their own reader schema.
import avro from 'avsc';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { AsmvsError } from '../errors.ts';
import { schemaOf, type SchemaTopic } from './registry-files.ts';
import type { TopicValues } from './types.gen.ts';
import { readerType } from './reader-types.ts';
import { wireSchemaId, WIRE_HEADER_BYTES } from './wire.ts';

type Resolver = ReturnType<avro.Type['createResolver']>;
import { fetchWriterSchema } from './fetch-writer-schema.ts';

export interface RegistryOptions {
  readonly url: string;
  readonly auth?: { readonly username: string; readonly password: string };
  /** Prepended to topic names and so to subjects (`<prefix><topic>-value`). */
  readonly topicPrefix?: string;
  /** How long one registry request may take (each of the client's tries); default REGISTRY_REQUEST_TIMEOUT_MS. */
  readonly requestTimeoutMs?: number;
}

/**
 * The registry client (mappersmith) sets no timeout of its own: a registry that accepts the connection and never
 * answers would hold a registration, and so a stage's start or a CLI command, forever, silently.
 */
export const REGISTRY_REQUEST_TIMEOUT_MS = 10_000;

type RegistryMiddleware = NonNullable<ConstructorParameters<typeof SchemaRegistry>[0]['middlewares']>[number];

/** Gives every registry request the timeout (a middleware in the client's own form). */
function requestTimeout(ms: number): RegistryMiddleware {
  return () => ({
    prepareRequest: (next) => next().then((request) => request.enhance({ timeout: ms })),
  });
}

export interface Codec {
  /**
   * Registers the schemas of these topics (idempotent) so that encode() can run synchronously; values written with
   * them decode without a registry lookup too.
   */
  register(topics: readonly SchemaTopic[]): Promise<void>;
  /**
   * Looks up, without registering anything, the id each topic's own schema has under its subject, so that values
   * written with it decode at once: their writer's schema is the reader's. Where the registry does not have it or
   * does not answer, nothing is primed (the first value fetches its writer's schema, as any other id).
   */
  prime(topics: readonly SchemaTopic[]): Promise<void>;
  encode<T extends SchemaTopic>(topic: T, value: TopicValues[T]): Buffer;
  /**
   * Decodes a value in the wire format as `topic`'s reader type. Synchronous once the writer's schema is known (it
   * is fetched from the registry the first time an id is seen, and the result is then a promise).
   */
  decode<T extends SchemaTopic>(topic: T, bytes: Buffer): TopicValues[T] | Promise<TopicValues[T]>;
  /** The registry id a topic's values are written with (after register). */
  schemaId(topic: SchemaTopic): number;
}

/** A topic's schema as this build has it, in the registry client's form. */
function ownSchema(topic: SchemaTopic) {
  return { type: SchemaType.AVRO as const, schema: JSON.stringify(schemaOf(topic)) };
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
    middlewares: [requestTimeout(options.requestTimeoutMs ?? REGISTRY_REQUEST_TIMEOUT_MS)],
    ...(options.auth ? { auth: { username: options.auth.username, password: options.auth.password } } : {}),
  });
  const writerIds = new Map<SchemaTopic, number>();
  const writerTypes = new Map<number, Promise<avro.Type>>();
  const resolvers = new Map<SchemaTopic, Map<number, Resolver | null>>();
  let scratch = Buffer.allocUnsafe(64 * 1024); // encode() writes here first; grown when a value does not fit

  const registerOne = async (topic: SchemaTopic) => {
    if (writerIds.has(topic)) return;
    const subject = subjectOf(topic, prefix);
    try {
      const { id } = await registry.register(ownSchema(topic), { subject });
      writerIds.set(topic, id);
      readsAsItself(topic, id);
    } catch (error) {
      throw registryError(error, `registering ${subject}`);
    }
  };

  /** Values of `topic` written with schema `id` are read as they are: `id` is the topic's own schema. */
  const readsAsItself = (topic: SchemaTopic, id: number) => {
    if (!resolversOf(topic).has(id)) resolversOf(topic).set(id, null);
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

    async prime(topics) {
      await Promise.all(
        topics.map(async (topic) => {
          try {
            readsAsItself(topic, await registry.getRegistryIdBySchema(subjectOf(topic, prefix), ownSchema(topic)));
          } catch {
            // not registered there (yet), or the registry did not answer: the first value will fetch its schema
          }
        }),
      );
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

    decode(topic, bytes) {
      const schemaId = wireSchemaId(bytes);
      const resolver = resolversOf(topic).get(schemaId);
      // The writer's schema known (every value after a topic's first): no promise, no turn of the microtask queue.
      return resolver === undefined
        ? resolverFor(topic, schemaId).then((r) => readBody(topic, bytes, schemaId, r))
        : readBody(topic, bytes, schemaId, resolver);
    },
  };

  /** Resolvers per reader topic and writer schema id; null when the writer's schema is the reader's. */
  function resolversOf(topic: SchemaTopic): Map<number, Resolver | null> {
    let byId = resolvers.get(topic);
    if (!byId) resolvers.set(topic, (byId = new Map()));
    return byId;
  }

  async function resolverFor(topic: SchemaTopic, schemaId: number): Promise<Resolver | null> {
    const writer = await writerType(schemaId);
    const reader = readerType(topic);
    let resolver: Resolver | null;
    try {
      resolver = writer.equals(reader) ? null : reader.createResolver(writer);
    } catch (cause) {
      throw new AsmvsError(
        'DECODE_SCHEMA_MISMATCH',
        `writer schema ${schemaId} cannot be read as ${topic}: ${(cause as Error).message}`,
        { cause, details: { topic, schemaId } },
      );
    }
    resolversOf(topic).set(schemaId, resolver);
    return resolver;
  }
}

/** The Avro body after the wire header, read as `topic`'s reader type (avsc's fromBuffer, without a subarray). */
function readBody<T extends SchemaTopic>(
  topic: T,
  bytes: Buffer,
  schemaId: number,
  resolver: Resolver | null,
): TopicValues[T] {
  let read: { value: unknown; offset: number };
  try {
    read = readerType(topic).decode(bytes, WIRE_HEADER_BYTES, resolver ?? undefined);
  } catch (cause) {
    throw invalidBody(topic, bytes, schemaId, (cause as Error).message, cause);
  }
  if (read.offset < 0) throw invalidBody(topic, bytes, schemaId, 'truncated buffer');
  if (read.offset < bytes.length) throw invalidBody(topic, bytes, schemaId, 'trailing data');
  return read.value as TopicValues[T];
}

function invalidBody(topic: SchemaTopic, bytes: Buffer, schemaId: number, why: string, cause?: unknown): AsmvsError {
  return new AsmvsError(
    'DECODE_INVALID_BODY',
    `Avro body of ${bytes.length} bytes does not decode as ${topic}: ${why}`,
    {
      cause,
      details: { topic, schemaId },
    },
  );
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
