import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger, secretValues } from '../../src/observability/logger.ts';
import { loadConfig } from '../../src/config/load.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  return { lines, destination };
}

test('redacts secret fields, authorization headers and secret values in messages', () => {
  const config = loadConfig({
    API_BASE_URL: 'http://127.0.0.1:1',
    API_TOKEN: 'tok-very-secret',
    DATABASE_URL: 'postgres://u:pw-secret@127.0.0.1/db',
  });
  const { lines, destination } = capture();
  const log = createLogger({ level: 'info', secrets: secretValues(config), destination });
  log.info(
    { password: 'p1', headers: { authorization: 'Bearer abc' }, user: { token: 't2' }, API_TOKEN: 'x', stage: 's' },
    'hello',
  );
  log.info({ config }, 'config');
  log.error(`connect to postgres://u:pw-secret@127.0.0.1/db failed`);
  log.warn(new Error('token tok-very-secret rejected'));
  const all = lines.join('');
  for (const secret of ['p1', 'Bearer abc', 't2', 'tok-very-secret', 'pw-secret'])
    assert.ok(!all.includes(secret), `${secret} leaked: ${all}`);
  const first = JSON.parse(lines[0] as string) as Record<string, unknown>;
  assert.equal(first['password'], '[redacted]');
  assert.equal(first['stage'], 's');
  assert.deepEqual(first['headers'], { authorization: '[redacted]' });
});
