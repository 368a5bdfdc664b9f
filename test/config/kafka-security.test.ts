// Kafka TLS and SASL settings: the combinations that make sense, errors naming the variables otherwise, and the
// OAUTHBEARER token reuse rule.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load.ts';
import { AsmvsError } from '../../src/errors.ts';
import { reusableUntil } from '../../src/runtime/kafka/oauth-token.ts';

const base = { KAFKA_BROKERS: '127.0.0.1:9093' };
const problem = (env: Record<string, string>) => {
  try {
    loadConfig({ ...base, ...env });
  } catch (error) {
    assert.ok(error instanceof AsmvsError && error.code === 'CONFIG_INVALID');
    return error.message;
  }
  return assert.fail('accepted');
};

test('a CA or a client certificate turns TLS on; cert and key go together', () => {
  const kafka = loadConfig({ ...base, KAFKA_SSL_CA_FILE: '/ca.pem' }).kafka;
  assert.equal(kafka?.ssl, true);
  assert.deepEqual(kafka?.tls, { caFile: '/ca.pem' });
  assert.equal(loadConfig(base).kafka?.ssl, false);
  assert.match(problem({ KAFKA_SSL_CERT_FILE: '/c.pem' }), /KAFKA_SSL_CERT_FILE\/KAFKA_SSL_KEY_FILE: set both/);
  assert.match(problem({ KAFKA_SSL_KEY_PASSWORD: 'x' }), /KAFKA_SSL_KEY_PASSWORD: only with KAFKA_SSL_KEY_FILE/);
});

test('oauthbearer takes exactly one token source; the command is a JSON argument array', () => {
  const sasl = loadConfig({
    ...base,
    KAFKA_SASL_MECHANISM: 'oauthbearer',
    KAFKA_SASL_OAUTHBEARER_TOKEN_COMMAND: '["/bin/token", "--aud", "a b"]',
  }).kafka?.sasl;
  assert.deepEqual(sasl, { mechanism: 'oauthbearer', tokenCommand: ['/bin/token', '--aud', 'a b'] });
  assert.match(problem({ KAFKA_SASL_MECHANISM: 'oauthbearer' }), /set one of KAFKA_SASL_OAUTHBEARER_TOKEN_FILE/);
  assert.match(
    problem({ KAFKA_SASL_MECHANISM: 'oauthbearer', KAFKA_SASL_OAUTHBEARER_TOKEN_COMMAND: '/bin/token --aud x' }),
    /KAFKA_SASL_OAUTHBEARER_TOKEN_COMMAND: must be a JSON array/,
  );
  assert.match(problem({ KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: '/t' }), /need KAFKA_SASL_MECHANISM=oauthbearer/);
  assert.match(
    problem({ KAFKA_SASL_MECHANISM: 'oauthbearer', KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: '/t', KAFKA_SASL_USERNAME: 'u' }),
    /not used by oauthbearer/,
  );
  assert.deepEqual(
    loadConfig({ ...base, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: 'p' })
      .kafka?.sasl,
    { mechanism: 'scram-sha-512', username: 'u', password: 'p' },
  );
});

test('a JWT is reused until a minute before its exp; an opaque token is fetched each time', () => {
  const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
  assert.equal(reusableUntil(jwt({ exp: 2_000 })), 2_000_000 - 60_000);
  assert.equal(reusableUntil(jwt({ sub: 'x' })), 0);
  assert.equal(reusableUntil('opaque-token'), 0);
});
