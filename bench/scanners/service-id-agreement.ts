// Benchmark: service identification agreement with `nmap -sV` on this machine's loopback services, same run.
// Prints a table (port, ours, nmap, verdict) and the agreement over the ports nmap identified (goal 100%).
// Only the known service ports are probed. Run: node bench/scanners/service-id-agreement.ts
import net from 'node:net';
import { getScanner, runScanner } from '../../src/scanners/index.ts';
import { compareServices } from '../../src/scanners/nmap/compare-services.ts';
import { AsmvsError } from '../../src/errors.ts';
import { operatorPolicy } from '../../src/scanners/scope/policy.ts';
import { nodeIo } from '../../src/scanners/io/scanner-io.ts';

const CANDIDATES = [22, 25, 1883, 3306, 4222, 5432, 5672, 6379, 8081, 9001, 9092, 9093];

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

const ports: number[] = [];
for (const p of CANDIDATES) if (await listening(p)) ports.push(p);
const ctx = {
  policy: operatorPolicy({ allow: ['127.0.0.0/8'], deny: [], allowMetadata: false, maxAddresses: 256 }),
  resolver: {
    resolveHost: async (name: string): Promise<string[]> => {
      throw new AsmvsError('DNS_NOT_FOUND', name);
    },
  },
  io: nodeIo,
  signal: new AbortController().signal,
  nmapPath: 'nmap',
};
let t0 = performance.now();
const ours = await runScanner(getScanner('service-id'), { target: '127.0.0.1', ports }, ctx);
const oursMs = performance.now() - t0;
t0 = performance.now();
const nmap = await runScanner(getScanner('nmap'), { target: '127.0.0.1', ports }, ctx);
const nmapMs = performance.now() - t0;

const show = (s: { service: string | null; product: string | null; version: string | null }) =>
  [s.service ?? '?', s.product ?? '', s.version ?? ''].join(' ').trim();
const rows = compareServices(ours.services, nmap.services);
console.log('| port | asmvs | nmap -sV | verdict |');
console.log('|---|---|---|---|');
for (const r of rows)
  console.log(
    `| ${r.port} | ${show(r.ours)} | ${r.nmap.guessed ? '(port-table guess) ' : ''}${show(r.nmap)} | ${r.verdict}${r.note ? ` (${r.note})` : ''} |`,
  );
const judged = rows.filter((r) => r.verdict === 'agree' || r.verdict === 'disagree');
const agreed = judged.filter((r) => r.verdict === 'agree').length;
console.log(
  `\nagreement where nmap named the service: ${agreed}/${judged.length} = ${((100 * agreed) / Math.max(1, judged.length)).toFixed(0)}%`,
);
console.log(
  `named by asmvs only: ${
    rows
      .filter((r) => r.verdict === 'nmap-unidentified')
      .map((r) => r.port)
      .join(', ') || 'none'
  }`,
);
console.log(`time: asmvs service-id ${oursMs.toFixed(0)} ms, nmap -sV ${nmapMs.toFixed(0)} ms (${ports.length} ports)`);
