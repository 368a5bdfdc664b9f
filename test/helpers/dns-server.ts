// A tiny authoritative DNS server on 127.0.0.1 (UDP, ephemeral port) answering from a fixed zone.
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import * as dnsPacket from 'dns-packet';

export type ZoneRecord = dnsPacket.Answer;

export async function dnsServer(
  zone: readonly ZoneRecord[],
  wildcards: Record<string, string> = {},
): Promise<{ server: string; queries: string[]; close: () => void }> {
  const socket = dgram.createSocket('udp4');
  const queries: string[] = [];
  socket.on('message', (message, rinfo) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    if (!question) return;
    queries.push(`${question.type} ${question.name}`);
    const name = question.name.toLowerCase();
    let answers = zone.filter((r) => r.name === name && (r.type === question.type || r.type === 'CNAME'));
    const cname = answers.find((r) => r.type === 'CNAME' && question.type !== 'CNAME');
    const target = cname && 'data' in cname && typeof cname.data === 'string' ? cname.data : null;
    if (cname && target) answers = [cname, ...zone.filter((r) => r.name === target && r.type === question.type)];
    const wildcardParent = Object.keys(wildcards).find((p) => name.endsWith(`.${p}`));
    if (answers.length === 0 && wildcardParent && question.type === 'A' && !zone.some((r) => r.name === name)) {
      answers = [{ type: 'A', name, ttl: 60, data: wildcards[wildcardParent] ?? '' }];
    }
    const exists = answers.length > 0 || zone.some((r) => r.name === name);
    const response = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.AUTHORITATIVE_ANSWER | (exists ? 0 : 3),
      questions: [question],
      answers,
    });
    socket.send(response, rinfo.port, rinfo.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { server: `127.0.0.1:${(socket.address() as AddressInfo).port}`, queries, close: () => socket.close() };
}
