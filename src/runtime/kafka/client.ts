// Builds the kafkajs client from the validated Kafka settings. kafkajs is imported only under src/runtime.
// TLS: a private CA and a client certificate (mutual TLS) come from PEM files read here, once per client; SASL:
// plain, scram, or OAUTHBEARER with a token from a file or a program (oauth-token.ts).
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import kafkajs, { type SASLOptions } from 'kafkajs';
import type { KafkaConfig } from '../../config/config.ts';
import { AsmvsError } from '../../errors.ts';
import { oauthBearerProvider } from './oauth-token.ts';

export type Kafka = InstanceType<typeof kafkajs.Kafka>;

function pem(file: string, variable: string): Buffer {
  try {
    return readFileSync(file);
  } catch (cause) {
    throw new AsmvsError('CONFIG_INVALID', `${variable}: cannot read ${file}: ${(cause as Error).message}`, { cause });
  }
}

/** kafkajs' `ssl`: true (the system's CAs), or Node TLS options with our CA and client certificate. */
export function tlsOptions(config: KafkaConfig): boolean | ConnectionOptions {
  const tls = config.tls;
  if (!config.ssl || !tls) return config.ssl;
  return {
    ...(tls.caFile ? { ca: pem(tls.caFile, 'KAFKA_SSL_CA_FILE') } : {}),
    ...(tls.certFile ? { cert: pem(tls.certFile, 'KAFKA_SSL_CERT_FILE') } : {}),
    ...(tls.keyFile ? { key: pem(tls.keyFile, 'KAFKA_SSL_KEY_FILE') } : {}),
    ...(tls.keyPassword !== undefined ? { passphrase: tls.keyPassword } : {}),
  };
}

function saslOptions(config: KafkaConfig): SASLOptions | undefined {
  const sasl = config.sasl;
  if (!sasl) return undefined;
  if (sasl.mechanism === 'oauthbearer')
    return { mechanism: 'oauthbearer', oauthBearerProvider: oauthBearerProvider(sasl) };
  return { mechanism: sasl.mechanism, username: sasl.username, password: sasl.password } as SASLOptions;
}

export function createKafka(config: KafkaConfig, clientSuffix: string): Kafka {
  const sasl = saslOptions(config);
  return new kafkajs.Kafka({
    clientId: `${config.clientId}-${clientSuffix}`,
    brokers: [...config.brokers],
    ssl: tlsOptions(config),
    ...(sasl ? { sasl } : {}),
    // kafkajs logs through its own logger; the runner reports what matters through pino.
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 5_000 },
  });
}
