// The MySQL/MariaDB protocol-10 handshake the server sends on connect. MariaDB prefixes its version with "5.5.5-"
// so that old clients accept it; the real version follows.
import { bannerText, cleanField } from '../escape.ts';
import { identified, type Identified } from './identified.ts';

export interface MysqlGreeting {
  readonly serverVersion: string;
  readonly authPlugin: string | null;
  readonly capabilities: number;
}

export function parseGreetingPacket(data: Buffer): MysqlGreeting | { error: string } | null {
  if (data.length < 5) return null;
  const length = data.readUIntLE(0, 3);
  if (length < 1 || length > 1024 || data[3] !== 0) return null;
  const payload = data.subarray(4, 4 + length);
  if (payload[0] === 0xff && payload.length >= 3) {
    // ERR packet: code, then (protocol 4.1) '#' and a 5-byte SQL state, then the message.
    const message = payload.subarray(payload[3] === 0x23 ? 9 : 3).toString('latin1');
    return { error: cleanField(message) ?? '' };
  }
  if (payload[0] !== 0x0a) return null;
  const end = payload.indexOf(0, 1);
  if (end < 2 || end > 100) return null;
  const serverVersion = payload.subarray(1, end).toString('latin1');
  if (!/^[\x20-\x7e]+$/.test(serverVersion)) return null;
  let p = end + 1 + 4 + 8 + 1;
  const capLow = payload.length >= p + 2 ? payload.readUInt16LE(p) : 0;
  p += 2 + 1 + 2;
  const capHigh = payload.length >= p + 2 ? payload.readUInt16LE(p) : 0;
  p += 2;
  const authDataLength = payload[p] ?? 0;
  p += 1 + 10 + Math.max(13, authDataLength - 8);
  const pluginEnd = payload.indexOf(0, p);
  const authPlugin =
    p < payload.length ? payload.subarray(p, pluginEnd < 0 ? payload.length : pluginEnd).toString('latin1') : null;
  return { serverVersion, authPlugin: cleanField(authPlugin), capabilities: capLow | (capHigh << 16) };
}

export function parseMysqlGreeting(data: Buffer): Identified | null {
  const greeting = parseGreetingPacket(data);
  if (!greeting) return null;
  const banner = bannerText(data);
  if ('error' in greeting) return identified('mysql', { banner, attributes: { error: greeting.error } });
  const raw = greeting.serverVersion;
  const maria = /^(?:5\.5\.5-)?(\d+\.\d+\.\d+)-MariaDB/i.exec(raw);
  const mysql = /^(\d+\.\d+\.\d+)/.exec(raw);
  return identified('mysql', {
    product: maria ? 'MariaDB' : 'MySQL',
    version: cleanField(maria ? maria[1] : (mysql?.[1] ?? raw)),
    banner,
    attributes: {
      server_version: cleanField(raw) ?? '',
      ...(greeting.authPlugin ? { auth_plugin: greeting.authPlugin } : {}),
    },
  });
}
