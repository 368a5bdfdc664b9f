// Kafka security against a broker this test starts on its own ports (tls-broker.ts), through the settings an
// operator sets (loadConfig → createKafka, as every command does):
// - mutual TLS with a private CA and a client certificate whose key is encrypted: topics are created, an event is
//   produced and read back; without the client certificate, or trusting another CA, the connection is refused;
// - SASL OAUTHBEARER over TLS with the token from a file (read again after it changes) or from a program run
//   without a shell (its arguments arrive as written); an expired token, or a program that fails, is refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import { requireKafka } from '../../src/config/config.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { KEY_PASSWORD, startTlsBroker, unsignedJwt, type TlsBroker } from '../helpers/tls-broker.ts';

let broker: TlsBroker;
before(async () => {
  broker = await startTlsBroker();
});
after(async () => {
  await broker?.stop();
});

function kafkaFor(env: Record<string, string>) {
  return createKafka(requireKafka(loadConfig({ KAFKA_CLIENT_ID: 'tls-test', ...env })), 'test');
}

/** Creates a topic, produces one event and reads it back, over the given settings. */
async function roundTrip(env: Record<string, string>, topic: string): Promise<string> {
  const kafka = kafkaFor(env);
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
  } finally {
    await admin.disconnect();
  }
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic, messages: [{ key: 'k', value: `hello over ${topic}` }] });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: `${topic}-group`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no message within 30 s')), 30_000);
      void consumer.run({
        eachMessage: async ({ message }) => {
          clearTimeout(timer);
          resolve(message.value?.toString() ?? '');
        },
      });
    });
  } finally {
    await consumer.disconnect();
  }
}

/** Connecting an admin client fails (the broker or our side refuses). */
async function refused(env: Record<string, string>): Promise<Error> {
  const admin = kafkaFor(env).admin({ retry: { retries: 0 } });
  try {
    await admin.connect();
    await admin.listTopics();
  } catch (error) {
    return error as Error;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  assert.fail('the connection was accepted');
}

const mtlsEnv = () => ({
  KAFKA_BROKERS: broker.mtls,
  KAFKA_SSL_CA_FILE: broker.files.ca,
  KAFKA_SSL_CERT_FILE: broker.files.clientCert,
  KAFKA_SSL_KEY_FILE: broker.files.clientKey,
  KAFKA_SSL_KEY_PASSWORD: KEY_PASSWORD,
});

test(
  'mutual TLS with a private CA and an encrypted client key: produce and consume',
  { timeout: 120_000 },
  async () => {
    assert.equal(await roundTrip(mtlsEnv(), 'mtls-topic'), 'hello over mtls-topic');
  },
);

test(
  'mutual TLS: refused without the client certificate, and when trusting another CA',
  { timeout: 60_000 },
  async () => {
    const { KAFKA_SSL_CERT_FILE: _c, KAFKA_SSL_KEY_FILE: _k, KAFKA_SSL_KEY_PASSWORD: _p, ...noClientCert } = mtlsEnv();
    await refused(noClientCert);
    const otherCa = await refused({ ...mtlsEnv(), KAFKA_SSL_CA_FILE: broker.files.otherCa });
    assert.match(otherCa.message, /certificate|self[- ]signed|verify/i);
  },
);

test('OAUTHBEARER from a file; an expired token in it is refused', { timeout: 120_000 }, async () => {
  const tokenFile = join(broker.dir, 'token');
  writeFileSync(tokenFile, `${unsignedJwt('asmvs', 3600)}\n`);
  const env = {
    KAFKA_BROKERS: broker.oauth,
    KAFKA_SSL_CA_FILE: broker.files.ca,
    KAFKA_SASL_MECHANISM: 'oauthbearer',
    KAFKA_SASL_OAUTHBEARER_TOKEN_FILE: tokenFile,
  };
  assert.equal(await roundTrip(env, 'oauth-file-topic'), 'hello over oauth-file-topic');
  writeFileSync(tokenFile, unsignedJwt('asmvs', -600));
  await refused(env);
});

test('OAUTHBEARER from a program run without a shell', { timeout: 120_000 }, async () => {
  // A shell would expand $(…) and split on spaces: the program prints the token only if its argument arrives as is.
  const literal = 'a b;$(echo expanded)';
  const program = join(broker.dir, 'print-token.mjs');
  writeFileSync(
    program,
    `if (process.argv[2] === ${JSON.stringify(literal)}) process.stdout.write(${JSON.stringify(unsignedJwt('asmvs', 3600))});\nelse process.exit(3);\n`,
  );
  const env = {
    KAFKA_BROKERS: broker.oauth,
    KAFKA_SSL_CA_FILE: broker.files.ca,
    KAFKA_SASL_MECHANISM: 'oauthbearer',
    KAFKA_SASL_OAUTHBEARER_TOKEN_COMMAND: JSON.stringify([process.execPath, program, literal]),
  };
  assert.equal(await roundTrip(env, 'oauth-command-topic'), 'hello over oauth-command-topic');
  const failing = await refused({
    ...env,
    KAFKA_SASL_OAUTHBEARER_TOKEN_COMMAND: JSON.stringify([process.execPath, program, 'other']),
  });
  assert.match(failing.message, /OAUTHBEARER token|exit|code 3/i);
});
