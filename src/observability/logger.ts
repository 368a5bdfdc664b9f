// pino JSON logs. Secrets are redacted twice: by field name (passwords, tokens, authorization headers, the secret
// settings of src/config/schema.ts) and by value (the secret values of this config, wherever they appear in a
// message string, e.g. a DATABASE_URL echoed in a driver's error).
import pino, { type Logger } from 'pino';
import { SECRET_SETTINGS } from '../config/schema.ts';
import type { Config } from '../config/config.ts';

export type { Logger } from 'pino';

const SECRET_FIELDS = [
  'password',
  'token',
  'apiToken',
  'authorization',
  'Authorization',
  'cookie',
  'secret',
  ...SECRET_SETTINGS,
];

/** Field paths pino removes: at the top, one level down, and in headers and known config places. */
export const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((f) => `*.${f}`),
  ...SECRET_FIELDS.map((f) => `*.*.${f}`),
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'config.kafka.sasl.password',
  'config.kafka.tls.keyPassword',
  'config.registry.auth.password',
  'config.api.token',
  'config.database.url',
  'database.url',
  'api.token',
];

export const REDACTED = '[redacted]';

export interface LoggerOptions {
  readonly level: Config['log']['level'];
  /** Secret values to scrub from message strings (see secretValues). */
  readonly secrets?: readonly string[];
  /** Where to write; defaults to stdout. Tests pass a stream to read what was logged. */
  readonly destination?: pino.DestinationStream;
}

/** The secret values of a config, for LoggerOptions.secrets. */
export function secretValues(config: Config): string[] {
  const values = [
    config.kafka?.sasl && 'password' in config.kafka.sasl ? config.kafka.sasl.password : undefined,
    config.kafka?.tls?.keyPassword,
    config.registry?.auth?.password,
    config.api?.token,
    config.database?.url,
  ];
  // Very short values would scrub half of every message; they are not meaningful secrets either.
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 4);
}

export function createLogger(options: LoggerOptions): Logger {
  const secrets = [...(options.secrets ?? [])];
  const scrub = (text: string) => secrets.reduce((t, s) => t.split(s).join(REDACTED), text);
  return pino(
    {
      level: options.level,
      base: { pid: process.pid },
      redact: { paths: REDACT_PATHS, censor: REDACTED },
      serializers: { err: pino.stdSerializers.err },
      hooks: {
        logMethod(args, method) {
          if (secrets.length > 0) {
            for (let i = 0; i < args.length; i += 1) {
              const arg: unknown = args[i];
              if (typeof arg === 'string') args[i] = scrub(arg);
              else if (
                arg instanceof Error &&
                secrets.some((s) => arg.message.includes(s) || (arg.stack ?? '').includes(s))
              ) {
                args[i] = {
                  err: { type: arg.name, message: scrub(arg.message), code: (arg as { code?: unknown }).code },
                };
              }
            }
          }
          method.apply(this, args as Parameters<typeof method>);
        },
      },
    },
    options.destination ?? pino.destination(1),
  );
}
