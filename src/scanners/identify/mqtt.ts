// MQTT: CONNECT with no credentials. CONNACK code 0 means the broker lets anyone in; then a read-only subscription
// to $SYS/broker/version learns the broker's product and version (what nmap's mqtt-subscribe script reads).
import { randomBytes } from 'node:crypto';
import { cleanField } from '../escape.ts';
import { readReply } from '../io/exchange.ts';
import { identified, type Identified, type ProbeTarget } from './identified.ts';
import { CONNACK_CODES, connectPacket, DISCONNECT, readPackets, subscribePacket } from './mqtt-packets.ts';

const VERSION_TOPIC = '$SYS/broker/version';

export function parseBrokerVersion(text: string): { product: string | null; version: string | null } {
  const m = /^(\S+) version (\S+)/i.exec(text);
  if (!m) return { product: cleanField(text), version: null };
  const name = m[1] ?? '';
  return { product: name.toLowerCase() === 'mosquitto' ? 'Mosquitto' : cleanField(name), version: cleanField(m[2]) };
}

function publishedVersion(data: Buffer): string | null {
  for (const p of readPackets(data)) {
    if (p.type !== 3 || p.body.length < 2) continue;
    const topicLength = p.body.readUInt16BE(0);
    const topic = p.body.subarray(2, 2 + topicLength).toString('utf8');
    const payloadStart = 2 + topicLength + ((p.flags & 0x06) !== 0 ? 2 : 0);
    if (topic === VERSION_TOPIC) return p.body.subarray(payloadStart, payloadStart + 256).toString('utf8');
  }
  return null;
}

export async function probeMqtt(t: ProbeTarget): Promise<Identified | null> {
  const common = { signal: t.signal, maxBytes: 16_384, readTimeoutMs: t.timeoutMs };
  const socket = await t.io.connect({ address: t.address, port: t.port, timeoutMs: t.timeoutMs, signal: t.signal });
  try {
    socket.write(connectPacket(`asmvs-${randomBytes(4).toString('hex')}`));
    const reply = await readReply(socket, { ...common, complete: (d) => readPackets(d).length > 0 });
    const connack = readPackets(reply.data)[0];
    if (!connack || connack.type !== 2 || connack.body.length !== 2) return null;
    const code = connack.body[1] ?? 255;
    const attributes: Record<string, string> = {
      connack: CONNACK_CODES[code] ?? `code-${code}`,
      auth: code === 0 ? 'none' : code === 4 || code === 5 ? 'required' : 'unknown',
    };
    if (code !== 0) return identified('mqtt', { attributes });
    socket.write(subscribePacket(VERSION_TOPIC));
    const published = await readReply(socket, {
      ...common,
      readTimeoutMs: Math.min(t.timeoutMs, 1500),
      complete: (d) => publishedVersion(d) !== null,
    });
    socket.write(DISCONNECT);
    const text = publishedVersion(published.data);
    if (text) attributes.sys_version = cleanField(text) ?? '';
    const { product, version } = text ? parseBrokerVersion(text) : { product: null, version: null };
    return identified('mqtt', { product, version, attributes });
  } finally {
    socket.end();
    socket.destroy();
  }
}
