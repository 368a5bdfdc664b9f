// epmd, the Erlang port mapper (RabbitMQ, CouchDB, ejabberd, Elixir apps): NAMES_REQ (nmap's epmd probe, read
// only) is answered with epmd's own port and one line per node, "name rabbit at port 25672". Those ports are the
// nodes' distribution ports, which say nothing first and wait seconds for a handshake: epmd names them for us.
import { cleanField } from '../escape.ts';
import { ask, identified, type Identified, type ProbeTarget } from './identified.ts';

export const NAMES_REQUEST = Buffer.from([0, 1, 0x6e]);
const MAX_NODES = 64;

export interface EpmdNode {
  readonly name: string;
  readonly port: number;
}

/** nmap's match: the reply starts with epmd's port as 4 bytes (0x00001111 = 4369 by default). */
export function parseEpmdNames(data: Buffer): { epmdPort: number; nodes: EpmdNode[] } | null {
  if (data.length < 4) return null;
  const epmdPort = data.readUInt32BE(0);
  if (epmdPort === 0 || epmdPort > 65535) return null;
  const nodes: EpmdNode[] = [];
  for (const line of data.subarray(4).toString('latin1').split('\n')) {
    const m = /^name (\S{1,255}) at port (\d{1,5})$/.exec(line);
    const port = Number(m?.[2]);
    const name = cleanField(m?.[1]);
    if (m && name && port > 0 && port <= 65535 && nodes.length < MAX_NODES) nodes.push({ name, port });
  }
  if (nodes.length === 0 && data.length > 4 && !data.subarray(4).toString('latin1').startsWith('name ')) return null;
  return { epmdPort, nodes };
}

/** `port`: the port asked; epmd states its own, 4369 unless ERL_EPMD_PORT moved it. */
export function epmdIdentified(data: Buffer, port: number): Identified | null {
  const names = parseEpmdNames(data);
  if (!names || (names.epmdPort !== 4369 && names.epmdPort !== port)) return null;
  return identified('epmd', {
    product: 'Erlang Port Mapper Daemon',
    attributes: { nodes: names.nodes.map((n) => `${n.name}:${n.port}`).join(' ') },
  });
}

export async function probeEpmd(t: ProbeTarget): Promise<Identified | null> {
  // epmd answers and closes: the reply is complete when the peer closes.
  return epmdIdentified((await ask(t, NAMES_REQUEST, { maxBytes: 16_384 })).data, t.port);
}

/** The distribution ports an epmd service announced, by port. */
export function announcedNodes(attributes: Readonly<Record<string, string>>): Map<number, string> {
  const out = new Map<number, string>();
  for (const entry of (attributes.nodes ?? '').split(' ')) {
    const at = entry.lastIndexOf(':');
    const port = Number(entry.slice(at + 1));
    if (at > 0 && Number.isInteger(port) && port > 0 && port <= 65535) out.set(port, entry.slice(0, at));
  }
  return out;
}
