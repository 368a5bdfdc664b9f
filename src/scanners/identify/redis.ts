// Redis: PING then INFO server, both read-only. +PONG without AUTH means anyone can use the database.
import { cleanField, bannerText } from '../escape.ts';
import { ask, identified, type Identified, type ProbeTarget } from './identified.ts';

export const REDIS_PROBE = Buffer.from('*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n');

function infoComplete(data: Buffer): boolean {
  const text = data.toString('latin1');
  if (/^-/.test(text) && text.includes('\r\n')) return true;
  const bulk = /\r\n\$(\d+)\r\n/.exec(text);
  if (bulk) return data.length >= (bulk.index ?? 0) + bulk[0].length + Number(bulk[1]) + 2;
  return /\r\n-[^\r]*\r\n$/.test(text);
}

export function parseRedisReply(data: Buffer): Identified | null {
  const text = data.toString('latin1');
  const first = text.split('\r\n')[0] ?? '';
  if (!/^(\+PONG|-NOAUTH|-DENIED|-ERR .*(auth|AUTH|password)|-WRONGPASS)/.test(first)) return null;
  const attributes: Record<string, string> = { auth: first === '+PONG' ? 'none' : 'required' };
  if (first.startsWith('-DENIED')) attributes.protected_mode = 'true';
  const version = /redis_version:([^\r\n]+)/.exec(text)?.[1];
  const mode = /redis_mode:([^\r\n]+)/.exec(text)?.[1];
  if (mode) attributes.mode = cleanField(mode) ?? '';
  return identified('redis', {
    product: 'Redis',
    version: cleanField(version),
    banner: bannerText(Buffer.from(first, 'latin1')),
    attributes,
  });
}

export async function probeRedis(t: ProbeTarget): Promise<Identified | null> {
  return parseRedisReply((await ask(t, REDIS_PROBE, { complete: infoComplete })).data);
}
