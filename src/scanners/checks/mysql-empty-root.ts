// Authenticates as root with an empty password and quits at once (COM_QUIT): no statement is ever sent.
// With an empty password every MySQL auth plugin's response is empty, so no scramble needs computing.
import { readReply } from '../io/exchange.ts';
import type { ProbeTarget } from '../identify/identified.ts';
import { parseGreetingPacket } from '../identify/mysql-greeting.ts';

const CLIENT_LONG_PASSWORD = 0x1;
const CLIENT_PROTOCOL_41 = 0x200;
const CLIENT_SECURE_CONNECTION = 0x8000;
const CLIENT_PLUGIN_AUTH = 0x80000;

function packet(sequence: number, payload: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUIntLE(payload.length, 0, 3);
  head[3] = sequence;
  return Buffer.concat([head, payload]);
}

export function handshakeResponse(user: string, plugin: string): Buffer {
  const fixed = Buffer.alloc(32);
  fixed.writeUInt32LE(CLIENT_LONG_PASSWORD | CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH, 0);
  fixed.writeUInt32LE(16 * 1024 * 1024, 4);
  fixed[8] = 0x21;
  return packet(
    1,
    Buffer.concat([fixed, Buffer.from(`${user}\0`, 'utf8'), Buffer.from([0]), Buffer.from(`${plugin}\0`, 'utf8')]),
  );
}

function firstPacket(data: Buffer): { sequence: number; payload: Buffer } | null {
  if (data.length < 4) return null;
  const length = data.readUIntLE(0, 3);
  if (data.length < 4 + length) return null;
  return { sequence: data[3] ?? 0, payload: data.subarray(4, 4 + length) };
}

export async function mysqlAcceptsEmptyPassword(t: ProbeTarget, user: string): Promise<boolean> {
  const socket = await t.io.connect({ address: t.address, port: t.port, timeoutMs: t.timeoutMs, signal: t.signal });
  const read = async () =>
    firstPacket(
      (
        await readReply(socket, {
          maxBytes: 16_384,
          readTimeoutMs: t.timeoutMs,
          signal: t.signal,
          complete: (d) => firstPacket(d) !== null,
        })
      ).data,
    );
  try {
    const greetingBytes = (
      await readReply(socket, {
        maxBytes: 16_384,
        readTimeoutMs: t.timeoutMs,
        signal: t.signal,
        complete: (d) => firstPacket(d) !== null,
      })
    ).data;
    const greeting = parseGreetingPacket(greetingBytes);
    if (!greeting || 'error' in greeting) return false;
    socket.write(handshakeResponse(user, greeting.authPlugin ?? 'mysql_native_password'));
    let reply = await read();
    // Auth switch request (0xfe): answer with the empty response for the requested plugin.
    if (reply && reply.payload[0] === 0xfe && reply.payload.length > 1) {
      socket.write(packet(reply.sequence + 1, Buffer.alloc(0)));
      reply = await read();
    }
    const ok = reply !== null && reply.payload[0] === 0x00;
    if (ok) socket.write(packet(0, Buffer.from([0x01])));
    return ok;
  } finally {
    socket.end();
    socket.destroy();
  }
}
