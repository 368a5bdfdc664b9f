// GET /schemas/ids/{id} with undici, so that "the registry does not know this id" (404, final) and "the registry
// did not answer" (retryable) stay distinguishable; the registry client library reports both as failures alike.
import { request } from 'undici';
import { AsmvsError } from '../errors.ts';

const TIMEOUT_MS = 5_000;
const MAX_SCHEMA_BYTES = 1024 * 1024;

export async function fetchWriterSchema(
  registry: { readonly url: string; readonly auth?: { readonly username: string; readonly password: string } },
  id: number,
): Promise<unknown> {
  const headers: Record<string, string> = { accept: 'application/vnd.schemaregistry.v1+json, application/json' };
  if (registry.auth) {
    headers['authorization'] =
      `Basic ${Buffer.from(`${registry.auth.username}:${registry.auth.password}`).toString('base64')}`;
  }
  let status: number;
  let text: string;
  try {
    const response = await request(`${registry.url}/schemas/ids/${id}`, {
      headers,
      headersTimeout: TIMEOUT_MS,
      bodyTimeout: TIMEOUT_MS,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    status = response.statusCode;
    text = await response.body.text();
  } catch (cause) {
    throw new AsmvsError('REGISTRY_UNAVAILABLE', `fetching schema id ${id}: ${(cause as Error).message}`, { cause });
  }
  if (status === 404) {
    throw new AsmvsError('DECODE_UNKNOWN_SCHEMA', `schema id ${id} is not known to the registry`, {
      details: { schemaId: id },
    });
  }
  if (status === 401 || status === 403) {
    throw new AsmvsError(
      'CONFIG_INVALID',
      `fetching schema id ${id}: the registry refused our credentials (${status})`,
    );
  }
  if (status !== 200)
    throw new AsmvsError('REGISTRY_UNAVAILABLE', `fetching schema id ${id}: the registry answered ${status}`);
  if (text.length > MAX_SCHEMA_BYTES)
    throw new AsmvsError('REGISTRY_UNAVAILABLE', `schema id ${id} is larger than ${MAX_SCHEMA_BYTES} bytes`);
  try {
    const body = JSON.parse(text) as { schema?: unknown; schemaType?: unknown };
    if (body.schemaType !== undefined && body.schemaType !== 'AVRO') {
      throw new AsmvsError('DECODE_SCHEMA_MISMATCH', `schema id ${id} is ${String(body.schemaType)}, not AVRO`);
    }
    return JSON.parse(String(body.schema));
  } catch (cause) {
    throw new AsmvsError(
      'DECODE_SCHEMA_MISMATCH',
      `schema id ${id} is not an Avro schema: ${(cause as Error).message}`,
      { cause },
    );
  }
}
