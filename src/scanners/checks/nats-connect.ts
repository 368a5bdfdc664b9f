// Confirms what the INFO line claims: a CONNECT without credentials followed by PING is answered PONG.
import { readReply } from '../io/exchange.ts';
import type { ProbeTarget } from '../identify/identified.ts';

const CONNECT = Buffer.from(
  'CONNECT {"verbose":false,"pedantic":false,"name":"asmvs-probe","lang":"asmvs","version":"0.1.0","protocol":1}\r\nPING\r\n',
);

export async function natsAcceptsAnonymous(t: ProbeTarget): Promise<{ accepted: boolean; reply: string }> {
  const socket = await t.io.connect({ address: t.address, port: t.port, timeoutMs: t.timeoutMs, signal: t.signal });
  try {
    const info = await readReply(socket, {
      maxBytes: 16_384,
      readTimeoutMs: t.timeoutMs,
      signal: t.signal,
      complete: (d) => d.includes(0x0a),
    });
    if (!info.data.toString('latin1').startsWith('INFO ')) return { accepted: false, reply: '' };
    socket.write(CONNECT);
    const reply = await readReply(socket, {
      maxBytes: 4096,
      readTimeoutMs: t.timeoutMs,
      signal: t.signal,
      complete: (d) => /PONG\r\n|-ERR[^\n]*\n/.test(d.toString('latin1')),
    });
    const text = reply.data.toString('latin1');
    return { accepted: /(^|\n)PONG\r\n/.test(text) && !text.includes('-ERR'), reply: text.slice(0, 200) };
  } finally {
    socket.destroy();
  }
}
