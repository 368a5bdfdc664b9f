// Logs in with guest/guest (SASL PLAIN) and stops at Connection.Tune: authentication succeeded, nothing opened,
// no channel, no queue touched. A refusal is Connection.Close (403) or the broker closing the socket.
import { readReply } from '../io/exchange.ts';
import { AMQP_HEADER, longString, methodFrame, parseMethodFrame, shortString } from '../identify/amqp-frame.ts';
import type { ProbeTarget } from '../identify/identified.ts';

export function startOk(user: string, password: string): Buffer {
  const emptyTable = Buffer.alloc(4);
  const response = longString(Buffer.from(`\0${user}\0${password}`, 'utf8'));
  return methodFrame(10, 11, Buffer.concat([emptyTable, shortString('PLAIN'), response, shortString('en_US')]));
}

export async function amqpAcceptsCredentials(t: ProbeTarget, user: string, password: string): Promise<boolean> {
  const socket = await t.io.connect({ address: t.address, port: t.port, timeoutMs: t.timeoutMs, signal: t.signal });
  try {
    const common = {
      maxBytes: 65_536,
      readTimeoutMs: t.timeoutMs,
      signal: t.signal,
      complete: (d: Buffer) => parseMethodFrame(d) !== null,
    };
    socket.write(AMQP_HEADER);
    const start = parseMethodFrame((await readReply(socket, common)).data);
    if (!start || start.classId !== 10 || start.methodId !== 10) return false;
    socket.write(startOk(user, password));
    const next = parseMethodFrame((await readReply(socket, common)).data);
    return next !== null && next.classId === 10 && next.methodId === 30;
  } finally {
    socket.destroy();
  }
}
