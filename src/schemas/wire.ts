// The Confluent wire-format header: magic byte 0, then the schema id as a 4-byte big-endian integer.
import { AsmvsError } from '../errors.ts';

export const WIRE_HEADER_BYTES = 5;

/** The schema id of a value in the wire format (the body starts at WIRE_HEADER_BYTES); throws if there is no header. */
export function wireSchemaId(bytes: Buffer | null | undefined): number {
  if (!bytes || bytes.length < WIRE_HEADER_BYTES) {
    throw new AsmvsError(
      'DECODE_NO_MAGIC_BYTE',
      `message of ${bytes?.length ?? 0} bytes is too short for the Confluent wire format`,
    );
  }
  if (bytes[0] !== 0) {
    throw new AsmvsError(
      'DECODE_NO_MAGIC_BYTE',
      `message starts with byte ${bytes[0]}, not the Confluent magic byte 0`,
    );
  }
  return bytes.readInt32BE(1);
}
