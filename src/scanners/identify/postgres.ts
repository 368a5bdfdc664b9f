// PostgreSQL: an SSLRequest is answered with one byte, 'S' or 'N', by PostgreSQL alone. Then a startup message for
// user postgres without a password: AuthenticationOk means trust authentication (anyone may log in), and the
// server_version parameter follows. Nothing is queried; the session ends with Terminate.
import { cleanField } from '../escape.ts';
import { exchange, readReply } from '../io/exchange.ts';
import { identified, PROBE_MAX_BYTES, type Identified, type ProbeTarget } from './identified.ts';

export const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]);

export function startupMessage(user: string, database: string): Buffer {
  const params = Buffer.from(`user\0${user}\0database\0${database}\0application_name\0asmvs\0\0`, 'utf8');
  const head = Buffer.alloc(8);
  head.writeInt32BE(8 + params.length, 0);
  head.writeInt32BE(196608, 4);
  return Buffer.concat([head, params]);
}

const TERMINATE = Buffer.from([0x58, 0, 0, 0, 4]);
const AUTH_METHODS: Record<number, string> = { 0: 'none', 3: 'password', 5: 'md5', 7: 'gss', 9: 'sspi', 10: 'sasl' };

export interface PostgresStartup {
  readonly auth: string | null;
  readonly serverVersion: string | null;
  readonly error: string | null;
}

/** Walks backend messages (type byte, int32 length) until ReadyForQuery, an error, or the data runs out. */
export function parseStartupReply(data: Buffer): PostgresStartup | null {
  let auth: string | null = null;
  let serverVersion: string | null = null;
  let error: string | null = null;
  let p = 0;
  while (p + 5 <= data.length) {
    const type = String.fromCharCode(data[p] ?? 0);
    const length = data.readInt32BE(p + 1);
    if (length < 4 || length > 1 << 20) return null;
    const body = data.subarray(p + 5, p + 1 + length);
    if (type === 'R' && body.length >= 4) auth = AUTH_METHODS[body.readInt32BE(0)] ?? `code-${body.readInt32BE(0)}`;
    else if (type === 'S') {
      const [name, value] = body.toString('utf8').split('\0');
      if (name === 'server_version') serverVersion = cleanField(value);
    } else if (type === 'E') {
      error = cleanField(/M([^\0]*)/.exec(body.toString('utf8'))?.[1] ?? 'error');
    } else if (type !== 'K' && type !== 'Z' && type !== 'N') return p === 0 ? null : { auth, serverVersion, error };
    p += 1 + length;
  }
  return auth !== null || error !== null ? { auth, serverVersion, error } : null;
}

function replyComplete(data: Buffer): boolean {
  // ReadyForQuery ('Z') ends a successful startup; an ErrorResponse ends a failed one; any non-'ok' auth request
  // waits for a password we will not send.
  return (
    data.includes(Buffer.from([0x5a, 0, 0, 0, 5])) ||
    data[0] === 0x45 ||
    (data[0] === 0x52 && data.length >= 9 && data.readInt32BE(5) !== 0)
  );
}

export async function probePostgres(t: ProbeTarget): Promise<Identified | null> {
  const common = {
    address: t.address,
    port: t.port,
    timeoutMs: t.timeoutMs,
    readTimeoutMs: t.timeoutMs,
    signal: t.signal,
    maxBytes: PROBE_MAX_BYTES,
  };
  const ssl = await exchange(t.io, { ...common, send: SSL_REQUEST, complete: (d) => d.length >= 1 });
  const answer = ssl.data.length === 1 ? String.fromCharCode(ssl.data[0] ?? 0) : null;
  if (answer !== 'S' && answer !== 'N') return null;
  const attributes: Record<string, string> = { ssl: answer === 'S' ? 'supported' : 'no' };
  const socket = await t.io.connect(common);
  try {
    socket.write(startupMessage('postgres', 'postgres'));
    const reply = await readReply(socket, { ...common, complete: replyComplete });
    const startup = parseStartupReply(reply.data);
    if (startup?.auth) attributes.auth = startup.auth;
    if (startup?.error) attributes.error = startup.error;
    if (startup?.auth === 'none') socket.write(TERMINATE);
    return identified('postgresql', {
      product: 'PostgreSQL',
      version: startup?.serverVersion?.split(' ')[0] ?? null,
      attributes,
    });
  } finally {
    socket.end();
    socket.destroy();
  }
}
