// MQTT 3.1.1 packets: CONNECT without credentials, SUBSCRIBE, DISCONNECT, and a reader for the replies.

function remainingLength(n: number): Buffer {
  const bytes: number[] = [];
  do {
    let byte = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return Buffer.from(bytes);
}

function str(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  const head = Buffer.alloc(2);
  head.writeUInt16BE(body.length, 0);
  return Buffer.concat([head, body]);
}

function packet(type: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type]), remainingLength(body.length), body]);
}

export function connectPacket(clientId: string): Buffer {
  // Protocol "MQTT", level 4 (3.1.1), flags: clean session only (no user name, no password), keep-alive 30 s.
  return packet(0x10, Buffer.concat([str('MQTT'), Buffer.from([4, 0x02, 0, 30]), str(clientId)]));
}

export function subscribePacket(topic: string): Buffer {
  return packet(0x82, Buffer.concat([Buffer.from([0, 1]), str(topic), Buffer.from([0])]));
}

export const DISCONNECT = Buffer.from([0xe0, 0]);

export interface MqttPacket {
  readonly type: number;
  readonly flags: number;
  readonly body: Buffer;
}

/** Splits a byte stream into whole packets; stops at the first incomplete one. */
export function readPackets(data: Buffer): MqttPacket[] {
  const out: MqttPacket[] = [];
  let p = 0;
  while (p < data.length) {
    let length = 0;
    let multiplier = 1;
    let q = p + 1;
    for (;;) {
      if (q >= data.length || q - p > 4) return out;
      const byte = data[q++] ?? 0;
      length += (byte & 0x7f) * multiplier;
      multiplier *= 128;
      if ((byte & 0x80) === 0) break;
    }
    if (q + length > data.length) return out;
    const first = data[p] ?? 0;
    out.push({ type: first >> 4, flags: first & 0x0f, body: data.subarray(q, q + length) });
    p = q + length;
  }
  return out;
}

export const CONNACK_CODES: Record<number, string> = {
  0: 'accepted',
  1: 'unacceptable protocol version',
  2: 'identifier rejected',
  3: 'server unavailable',
  4: 'bad user name or password',
  5: 'not authorized',
};
