// AMQP: the protocol header is answered by Connection.Start, whose server-properties name the broker
// (product, version, platform). Nothing else is sent by identification.
import { cleanField } from '../escape.ts';
import { AMQP_HEADER, parseMethodFrame, parseStringTable } from './amqp-frame.ts';
import { ask, identified, type Identified, type ProbeTarget } from './identified.ts';

export interface ConnectionStart {
  readonly versionMajor: number;
  readonly versionMinor: number;
  readonly properties: Record<string, string>;
  readonly mechanisms: string[];
}

export function parseConnectionStart(data: Buffer): ConnectionStart | null {
  const frame = parseMethodFrame(data);
  if (!frame || frame.classId !== 10 || frame.methodId !== 10 || frame.args.length < 6) return null;
  const tableLength = frame.args.readUInt32BE(2);
  const properties = parseStringTable(frame.args.subarray(6, 6 + tableLength));
  if (!properties) return null;
  let p = 6 + tableLength;
  const mechLength = p + 4 <= frame.args.length ? frame.args.readUInt32BE(p) : 0;
  p += 4;
  const mechanisms = frame.args
    .subarray(p, p + mechLength)
    .toString('utf8')
    .split(' ')
    .filter(Boolean);
  return { versionMajor: frame.args[0] ?? 0, versionMinor: frame.args[1] ?? 0, properties, mechanisms };
}

export function amqpIdentified(data: Buffer): Identified | null {
  const start = parseConnectionStart(data);
  if (start) {
    return identified('amqp', {
      product: cleanField(start.properties.product),
      version: cleanField(start.properties.version),
      attributes: {
        protocol: `${start.versionMajor}-${start.versionMinor}`,
        mechanisms: start.mechanisms.join(' ').slice(0, 200),
      },
    });
  }
  // A broker that does not speak 0-9-1 answers with the header of the version it does speak.
  if (data.length >= 8 && data.subarray(0, 4).toString('latin1') === 'AMQP')
    return identified('amqp', { attributes: { protocol: [...data.subarray(5, 8)].join('-') } });
  return null;
}

export async function probeAmqp(t: ProbeTarget): Promise<Identified | null> {
  const reply = await ask(t, AMQP_HEADER, {
    complete: (d) => parseMethodFrame(d) !== null || (d.length >= 8 && d.subarray(0, 4).toString('latin1') === 'AMQP'),
  });
  return amqpIdentified(reply.data);
}
