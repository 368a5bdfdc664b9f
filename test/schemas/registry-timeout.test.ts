// A schema registry that accepts the connection and never answers: the registration fails as REGISTRY_UNAVAILABLE
// (retryable; a stage waits it out, a CLI command says so and exits) instead of holding its caller forever.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { AsmvsError } from '../../src/errors.ts';
import { createRegistryCodec } from '../../src/schemas/codec.ts';

test(
  'a registry that never answers: registering fails with REGISTRY_UNAVAILABLE after the request timeout',
  { timeout: 30_000 },
  async () => {
    const held: ServerResponse[] = [];
    let requests = 0;
    const server = createServer((_request, response) => {
      requests += 1;
      held.push(response); // accepted, read, never answered
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const codec = createRegistryCodec({ url: `http://127.0.0.1:${port}`, requestTimeoutMs: 200 });
      await assert.rejects(
        codec.register(['job-status']),
        (e: unknown) =>
          e instanceof AsmvsError && e.code === 'REGISTRY_UNAVAILABLE' && e.retryable && /timeout/i.test(e.message),
      );
      assert.ok(requests >= 1, 'the registry was asked');
    } finally {
      for (const response of held) response.destroy();
      server.close();
    }
  },
);
