// SASL OAUTHBEARER tokens for kafkajs (its oauthBearerProvider): from a file, read again when needed, so a token
// that a sidecar or Kubernetes rotates is picked up; or from a program, run without a shell (argument array), whose
// standard output is the token. kafkajs asks on every connection it authenticates, so a JWT is reused until a minute
// before its exp; any other token is fetched each time.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { AsmvsError } from '../../errors.ts';

const COMMAND_TIMEOUT_MS = 30_000;
const MAX_TOKEN_BYTES = 64 * 1024;
const REFRESH_BEFORE_EXP_MS = 60_000;

export type TokenSource = { readonly tokenFile?: string; readonly tokenCommand?: readonly string[] };

/** When a token stops being reusable (ms since epoch): a JWT's exp less a minute; 0 for anything else. */
export function reusableUntil(token: string): number {
  const payload = token.split('.')[1];
  if (payload === undefined) return 0;
  try {
    const exp: unknown = (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 - REFRESH_BEFORE_EXP_MS : 0;
  } catch {
    return 0;
  }
}

function failed(source: string, cause: unknown): AsmvsError {
  return new AsmvsError('KAFKA_UNAVAILABLE', `no OAUTHBEARER token: ${source}: ${(cause as Error).message}`, { cause });
}

function runCommand(argv: readonly string[]): Promise<string> {
  const [program, ...args] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    execFile(
      program,
      args,
      { shell: false, timeout: COMMAND_TIMEOUT_MS, maxBuffer: MAX_TOKEN_BYTES, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error)
          reject(
            new AsmvsError('CONFIG_INVALID', `${error.message}${stderr ? `: ${stderr.trim().slice(0, 500)}` : ''}`),
          );
        else resolve(stdout);
      },
    );
  });
}

async function fetchToken(source: TokenSource): Promise<string> {
  const [what, read] = source.tokenFile
    ? [`KAFKA_SASL_OAUTHBEARER_TOKEN_FILE ${source.tokenFile}`, () => readFile(source.tokenFile!, 'utf8')]
    : [`KAFKA_SASL_OAUTHBEARER_TOKEN_COMMAND ${source.tokenCommand?.[0]}`, () => runCommand(source.tokenCommand!)];
  let token: string;
  try {
    token = (await read()).trim();
  } catch (error) {
    throw failed(what, error);
  }
  if (token.length === 0 || /\s/.test(token))
    throw failed(what, new AsmvsError('CONFIG_INVALID', 'the token is empty or has whitespace inside'));
  return token;
}

/** kafkajs' oauthBearerProvider over a token source. */
export function oauthBearerProvider(
  source: TokenSource,
  now: () => number = Date.now,
): () => Promise<{ value: string }> {
  let cached: { value: string; until: number } | undefined;
  return async () => {
    if (cached && now() < cached.until) return { value: cached.value };
    const value = await fetchToken(source);
    cached = { value, until: reusableUntil(value) };
    return { value };
  };
}
