// A range of hosts to scan, made of two network namespaces joined by a veth pair, everything inside 198.18.0.0/15
// (the benchmarking range) and nothing routed out of them. The scanner's namespace routes the range to a next hop
// that has a permanent neighbour entry and no owner: SYNs to silent addresses leave on the wire and are dropped
// unanswered (this kernel has no netem). The live hosts' addresses are routed to the hosts' namespace, where real
// listeners answer: HTTP on 80, an SSH banner on 22, TLS on 443. Needs root (CI runs as root).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Server } from 'node:net';
import { formatIPv4, parseIPv4 } from '../../src/scanners/scope/ipv4.ts';
import { forwardUnixToTcp } from './unix-forward.ts';

export interface RangeLab {
  /** The range as a CIDR, e.g. 198.18.0.0/24. */
  readonly range: string;
  /** Live hosts' addresses (each with 22, 80, 443 open). */
  readonly live: readonly string[];
  /** The scanner's namespace. */
  readonly ns: string;
  /** A command run inside the scanner's namespace: ['ip', 'netns', 'exec', ns, ...argv]. */
  inside(argv: readonly string[]): string[];
  close(): Promise<void>;
}

const NODE = process.execPath;
const HERE = new URL('.', import.meta.url).pathname;

export function canBuildNamespaces(): boolean {
  return process.getuid?.() === 0 && spawnSync('ip', ['netns', 'list']).status === 0;
}

function ip(...args: string[]): void {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr.trim()}`);
}

async function ready(child: ChildProcess, what: string): Promise<void> {
  let out = '';
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`${what} exited with ${code}: ${err.slice(0, 500)}`)));
  });
}

/**
 * Builds the lab: a /`prefix` range starting at 198.18.0.0 whose first `live` addresses after .0 are live hosts.
 * With `kafka`, the scanner's namespace reaches the broker and registry ports of the root namespace's loopback.
 */
export async function createRangeLab(o: {
  prefix: number;
  live: number;
  kafka?: { readonly ports: readonly number[] };
}): Promise<RangeLab> {
  const id = randomBytes(3).toString('hex');
  const ns = `asmvs-s-${id}`;
  const hostsNs = `asmvs-h-${id}`;
  const dir = mkdtempSync(join(tmpdir(), 'asmvs-lab-'));
  const children: ChildProcess[] = [];
  const servers: Server[] = [];
  const base = parseIPv4('198.18.0.0') as number;
  const live = Array.from({ length: o.live }, (_, i) => formatIPv4(base + 1 + i));
  const close = async () => {
    for (const c of children) c.kill('SIGKILL');
    for (const s of servers) s.close();
    spawnSync('ip', ['netns', 'del', ns]);
    spawnSync('ip', ['netns', 'del', hostsNs]);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    ip('netns', 'add', ns);
    ip('netns', 'add', hostsNs);
    ip('link', 'add', `vs${id}`, 'type', 'veth', 'peer', 'name', `vh${id}`);
    ip('link', 'set', `vs${id}`, 'netns', ns);
    ip('link', 'set', `vh${id}`, 'netns', hostsNs);
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    ip('-n', hostsNs, 'link', 'set', 'lo', 'up');
    ip('-n', ns, 'addr', 'add', '198.19.255.1/29', 'dev', `vs${id}`);
    ip('-n', hostsNs, 'addr', 'add', '198.19.255.2/29', 'dev', `vh${id}`);
    ip('-n', ns, 'link', 'set', `vs${id}`, 'up');
    ip('-n', hostsNs, 'link', 'set', `vh${id}`, 'up');
    // The silent next hop: a neighbour entry nobody answers for. Frames to it are dropped by the peer's NIC.
    ip('-n', ns, 'neigh', 'add', '198.19.255.3', 'lladdr', '02:00:5e:00:53:01', 'dev', `vs${id}`, 'nud', 'permanent');
    ip('-n', ns, 'route', 'add', `198.18.0.0/${o.prefix}`, 'via', '198.19.255.3', 'dev', `vs${id}`);
    for (const address of live) {
      ip('-n', hostsNs, 'addr', 'add', `${address}/32`, 'dev', 'lo');
      ip('-n', ns, 'route', 'add', `${address}/32`, 'via', '198.19.255.2', 'dev', `vs${id}`);
    }
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const made = spawnSync('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '30',
      '-subj',
      '/CN=range.test',
      '-keyout',
      key,
      '-out',
      cert,
    ]);
    if (made.status !== 0) throw new Error(`openssl: ${made.stderr.toString().slice(0, 300)}`);
    const listeners = spawn(
      'ip',
      ['netns', 'exec', hostsNs, NODE, join(HERE, 'range-listeners.ts'), cert, key, ...live],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    children.push(listeners);
    await ready(listeners, 'range listeners');
    if (o.kafka) {
      const pairs: string[] = [];
      for (const port of o.kafka.ports) {
        const path = join(dir, `fwd-${port}.sock`);
        const server = forwardUnixToTcp(path, port);
        servers.push(server);
        await once(server, 'listening');
        pairs.push(String(port), path);
      }
      const forward = spawn('ip', ['netns', 'exec', ns, NODE, join(HERE, 'unix-forward.ts'), ...pairs], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      children.push(forward);
      await ready(forward, 'namespace forwarder');
    }
  } catch (error) {
    await close();
    throw error;
  }
  return {
    range: `198.18.0.0/${o.prefix}`,
    live,
    ns,
    inside: (argv) => ['ip', 'netns', 'exec', ns, ...argv],
    close,
  };
}
