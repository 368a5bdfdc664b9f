// The local runner passes every value through its topic's Avro type, so an event that could not be written to
// Kafka fails in local mode too, and processors never share mutable objects across stages.
import { AsmvsError } from '../../errors.ts';
import { readerType } from '../../schemas/reader-types.ts';
import type { SchemaTopic } from '../../schemas/registry-files.ts';

export function toAvro(topic: SchemaTopic, value: unknown): Buffer {
  const type = readerType(topic);
  try {
    return type.toBuffer(value);
  } catch (cause) {
    const paths: string[] = [];
    type.isValid(value, { errorHook: (path) => paths.push(path.join('.')) });
    throw new AsmvsError(
      'ENCODE_INVALID',
      `value does not match the ${topic} schema at: ${paths.join(', ') || '(root)'}`,
      { cause, details: { topic, paths } },
    );
  }
}

export function fromAvro(topic: SchemaTopic, bytes: Buffer): unknown {
  try {
    return readerType(topic).fromBuffer(bytes);
  } catch (cause) {
    throw new AsmvsError('DECODE_INVALID_BODY', `Avro body of ${bytes.length} bytes does not decode as ${topic}`, {
      cause,
    });
  }
}
