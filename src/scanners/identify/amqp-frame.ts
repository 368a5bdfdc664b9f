// AMQP 0-9-1 framing: method frames and the field tables that carry the broker's product and version.

export const AMQP_HEADER = Buffer.from('AMQP\x00\x00\x09\x01', 'latin1');
const FRAME_END = 0xce;

export interface MethodFrame {
  readonly classId: number;
  readonly methodId: number;
  readonly args: Buffer;
}

/** The first complete method frame in `data`, or null (incomplete or not AMQP). */
export function parseMethodFrame(data: Buffer): MethodFrame | null {
  if (data.length < 12 || data[0] !== 1) return null;
  const size = data.readUInt32BE(3);
  if (size > 1 << 20 || data.length < 7 + size + 1 || data[7 + size] !== FRAME_END) return null;
  return { classId: data.readUInt16BE(7), methodId: data.readUInt16BE(9), args: data.subarray(11, 7 + size) };
}

export function methodFrame(classId: number, methodId: number, args: Buffer): Buffer {
  const head = Buffer.alloc(11);
  head[0] = 1;
  head.writeUInt16BE(0, 1);
  head.writeUInt32BE(4 + args.length, 3);
  head.writeUInt16BE(classId, 7);
  head.writeUInt16BE(methodId, 9);
  return Buffer.concat([head, args, Buffer.from([FRAME_END])]);
}

export function shortString(text: string): Buffer {
  const body = Buffer.from(text, 'utf8');
  return Buffer.concat([Buffer.from([body.length]), body]);
}

export function longString(body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

const FIXED: Record<string, number> = { t: 1, b: 1, B: 1, s: 2, u: 2, I: 4, i: 4, l: 8, f: 4, d: 8, D: 5, T: 8, V: 0 };

/** The string-valued entries of a field table (nested tables and arrays skipped); null when malformed. */
export function parseStringTable(table: Buffer): Record<string, string> | null {
  const out: Record<string, string> = {};
  let p = 0;
  while (p < table.length) {
    const nameLength = table[p] ?? 0;
    const name = table.subarray(p + 1, p + 1 + nameLength).toString('utf8');
    p += 1 + nameLength;
    const type = String.fromCharCode(table[p] ?? 0);
    p += 1;
    if (type === 'S' || type === 'x' || type === 'F' || type === 'A') {
      if (p + 4 > table.length) return null;
      const length = table.readUInt32BE(p);
      if (p + 4 + length > table.length) return null;
      if (type === 'S') out[name] = table.subarray(p + 4, p + 4 + length).toString('utf8');
      p += 4 + length;
    } else if (type in FIXED) {
      p += FIXED[type] ?? 0;
    } else return null;
  }
  return out;
}
