// Pieces of the registry-outage tests: the shared registry behind a proxy the test can take down (a registry that
// does not answer, without stopping the shared one), and events written with a schema id no stage has cached yet.
import assert from 'node:assert/strict';
import avro from 'avsc';
import { subjectOf } from '../../src/schemas/codec.ts';
import { schemaOf } from '../../src/schemas/registry-files.ts';
import { rawFinding } from './fixtures/events.ts';
import { SCHEMA_REGISTRY_URL } from './stack.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';

/** The registry through a proxy: `url` is the SCHEMA_REGISTRY_URL for the stage under test. */
export async function registryProxy(): Promise<{ proxy: TcpProxy; url: string }> {
  const registry = new URL(SCHEMA_REGISTRY_URL);
  const proxy = await startTcpProxy({ host: registry.hostname, port: Number(registry.port) });
  return { proxy, url: `http://127.0.0.1:${proxy.port}${registry.pathname}` };
}

/**
 * Registers a newer, compatible raw-findings schema under the prefix (one optional field more), as an upgraded
 * producer would; returns a writer of raw findings in it (wire format, the new schema id).
 */
export async function newerRawFindings(prefix: string): Promise<(key: string, seq: number) => Buffer> {
  const base = schemaOf('raw-findings') as { fields: object[] };
  const schema = { ...base, fields: [...base.fields, { name: 'addedLater', type: ['null', 'string'], default: null }] };
  const response = await fetch(`${SCHEMA_REGISTRY_URL}/subjects/${subjectOf('raw-findings', prefix)}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: JSON.stringify(schema) }),
  });
  assert.equal(response.status, 200, await response.clone().text());
  const { id } = (await response.json()) as { id: number };
  const type = avro.Type.forSchema(schema as avro.Schema);
  return (key, seq) => {
    const header = Buffer.alloc(5);
    header.writeInt32BE(id, 1);
    return Buffer.concat([header, type.toBuffer({ ...rawFinding(key, seq), addedLater: 'x' })]);
  };
}
