// An Erlang distribution port that epmd announced. Said nothing first, it waits seconds (net_setuptime) for a
// handshake; sent a send_name, a node answers with a status ("sok", "not_allowed", …) or, since OTP 23 when it will
// not talk to us, closes at once. Either, on a port epmd named, confirms it; we never answer a challenge, so no
// session starts. The port matters: a node's cookie is all that stands between it and remote code execution.
import { readReply } from '../io/exchange.ts';
import { identified, type Identified, type ProbeTarget } from './identified.ts';

const NODE_NAME = Buffer.from('asmvs@probe', 'latin1');
// Protocol version 5 send_name ('n') with the flags every OTP since 23 requires (extended references and pids,
// fun tags, new floats, bit binaries, export pointers, UTF-8 atoms, maps, big creation, handshake 23).
const FLAGS = 0x01070f94;

export function sendName(): Buffer {
  const body = Buffer.alloc(7);
  body.write('n', 0, 'latin1');
  body.writeUInt16BE(5, 1);
  body.writeUInt32BE(FLAGS, 3);
  const head = Buffer.alloc(2);
  head.writeUInt16BE(body.length + NODE_NAME.length, 0);
  return Buffer.concat([head, body, NODE_NAME]);
}

/** The status of a send_status message (2-byte length, 's', status), or null. */
export function parseStatus(data: Buffer): string | null {
  if (data.length < 4 || data[2] !== 0x73) return null;
  const length = data.readUInt16BE(0);
  if (length < 2 || length > 64 || data.length < 2 + length) return null;
  const status = data.subarray(3, 2 + length).toString('latin1');
  return /^[a-z_]+$/.test(status) ? status : null;
}

export async function confirmErlangNode(t: ProbeTarget, node: string): Promise<Identified | null> {
  const socket = await t.io.connect({ address: t.address, port: t.port, timeoutMs: t.timeoutMs, signal: t.signal });
  try {
    socket.write(sendName());
    const reply = await readReply(socket, {
      readTimeoutMs: t.timeoutMs,
      maxBytes: 1024,
      signal: t.signal,
      complete: (d) => parseStatus(d) !== null,
    });
    const status = parseStatus(reply.data);
    if (status === null && !(reply.closed && reply.data.length === 0)) return null;
    return identified('erlang-node', {
      product: 'Erlang Distribution Node',
      attributes: { node, status: status ?? 'closed', via: 'epmd' },
    });
  } finally {
    socket.destroy();
  }
}
