// Kafka's TLS and SASL settings, checked together: which combinations make sense, with errors naming the variables.
import { AsmvsError } from '../errors.ts';
import type { Settings } from './schema.ts';

/** Files, read when the client is made (src/runtime/kafka/client.ts). */
export interface KafkaTls {
  readonly caFile?: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly keyPassword?: string;
}

export type KafkaSasl =
  | {
      readonly mechanism: 'plain' | 'scram-sha-256' | 'scram-sha-512';
      readonly username: string;
      readonly password: string;
    }
  | {
      readonly mechanism: 'oauthbearer';
      /** Exactly one of these: a file read for each token, or a program (argument array, no shell) that prints it. */
      readonly tokenFile?: string;
      readonly tokenCommand?: readonly string[];
    };

const invalid = (problem: string) => new AsmvsError('CONFIG_INVALID', `invalid configuration:\n  ${problem}`);

export function kafkaTls(s: Settings): KafkaTls | undefined {
  if ((s.KAFKA_SSL_CERT_FILE === undefined) !== (s.KAFKA_SSL_KEY_FILE === undefined))
    throw invalid('KAFKA_SSL_CERT_FILE/KAFKA_SSL_KEY_FILE: set both (mutual TLS) or neither');
  if (s.KAFKA_SSL_KEY_PASSWORD !== undefined && s.KAFKA_SSL_KEY_FILE === undefined)
    throw invalid('KAFKA_SSL_KEY_PASSWORD: only with KAFKA_SSL_KEY_FILE');
  const tls = {
    ...(s.KAFKA_SSL_CA_FILE !== undefined ? { caFile: s.KAFKA_SSL_CA_FILE } : {}),
    ...(s.KAFKA_SSL_CERT_FILE !== undefined ? { certFile: s.KAFKA_SSL_CERT_FILE } : {}),
    ...(s.KAFKA_SSL_KEY_FILE !== undefined ? { keyFile: s.KAFKA_SSL_KEY_FILE } : {}),
    ...(s.KAFKA_SSL_KEY_PASSWORD !== undefined ? { keyPassword: s.KAFKA_SSL_KEY_PASSWORD } : {}),
  };
  return Object.keys(tls).length > 0 ? tls : undefined;
}

export function kafkaSasl(s: Settings): KafkaSasl | undefined {
  const user = s.KAFKA_SASL_USERNAME;
  const password = s.KAFKA_SASL_PASSWORD;
  const file = s.KAFKA_SASL_OAUTHBEARER_TOKEN_FILE;
  const command = s.KAFKA_SASL_OAUTHBEARER_TOKEN_COMMAND;
  if (s.KAFKA_SASL_MECHANISM === 'oauthbearer') {
    if (user !== undefined || password !== undefined)
      throw invalid('KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD: not used by oauthbearer (it sends a token)');
    if ((file === undefined) === (command === undefined))
      throw invalid(
        'KAFKA_SASL_MECHANISM=oauthbearer: set one of KAFKA_SASL_OAUTHBEARER_TOKEN_FILE and KAFKA_SASL_OAUTHBEARER_TOKEN_COMMAND',
      );
    return file !== undefined
      ? { mechanism: 'oauthbearer', tokenFile: file }
      : { mechanism: 'oauthbearer', tokenCommand: command! };
  }
  if (file !== undefined || command !== undefined)
    throw invalid(
      'KAFKA_SASL_OAUTHBEARER_TOKEN_FILE/KAFKA_SASL_OAUTHBEARER_TOKEN_COMMAND: need KAFKA_SASL_MECHANISM=oauthbearer',
    );
  if ((user === undefined) !== (password === undefined))
    throw invalid('KAFKA_SASL_USERNAME/KAFKA_SASL_PASSWORD: set both or neither');
  if ((s.KAFKA_SASL_MECHANISM === undefined) !== (user === undefined))
    throw invalid('KAFKA_SASL_MECHANISM: needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD, and they need it');
  return s.KAFKA_SASL_MECHANISM && user !== undefined && password !== undefined
    ? { mechanism: s.KAFKA_SASL_MECHANISM, username: user, password }
    : undefined;
}
