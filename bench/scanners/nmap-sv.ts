// What the service benchmarks share: `nmap -sV` on an exact port list (loopback only), nmap's soft matches, an
// HTTP referee for disputed ports, and the agreement table with its summary.
import { spawn } from 'node:child_process';
import net from 'node:net';
import tls from 'node:tls';
import { compareServices } from '../../src/scanners/nmap/compare-services.ts';
import {
  judgeRows,
  needsReferee,
  summarise,
  type AgreementSummary,
  type HttpReferee,
  type Judged,
} from '../../src/scanners/nmap/judge-agreement.ts';
import { servicesOf } from '../../src/scanners/nmap/nmap-services-of.ts';
import { parseNmapXml } from '../../src/normalizers/formats/nmap/read-nmap-xml.ts';
import { softMatchedPorts } from '../../src/scanners/nmap/soft-matches.ts';
import type { ServiceResult } from '../../src/scanners/scanner.ts';
import type { benchReport } from '../report.ts';

export interface Timed<T> {
  readonly ms: number;
  readonly value: T;
}

export function runTimed(
  cmd: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<Timed<{ stdout: Buffer; code: number | null }>> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, [...args], { stdio: ['ignore', 'pipe', 'inherit'], timeout: timeoutMs });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ ms: performance.now() - started, value: { stdout: Buffer.concat(chunks), code } }),
    );
  });
}

export interface NmapSv {
  readonly services: ServiceResult[];
  readonly softPorts: Set<number>;
  readonly open: number[];
}

/** `nmap -sV` on exactly these ports of 127.0.0.1 (nmap's defaults otherwise: intensity 7, no scripts). */
export async function nmapSv(ports: readonly number[], timeoutMs = 900_000): Promise<Timed<NmapSv>> {
  const run = await runTimed('nmap', ['-sV', '-Pn', '-n', '-oX', '-', '-p', ports.join(','), '127.0.0.1'], timeoutMs);
  if (run.value.code !== 0) throw new Error(`nmap exited with ${run.value.code}`);
  const report = parseNmapXml(run.value.stdout);
  const open = report.hosts.flatMap((h) => h.ports.filter((p) => p.state === 'open').map((p) => p.port));
  return {
    ms: run.ms,
    value: { services: servicesOf(report), softPorts: softMatchedPorts(run.value.stdout.toString('utf8')), open },
  };
}

function firstLine(socket: net.Socket, request: string): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(data);
    };
    const timer = setTimeout(done, 3000);
    socket.on('data', (d: Buffer) => {
      data += d.toString('latin1');
      if (data.includes('\n')) done();
    });
    socket.on('error', done);
    socket.on('close', done);
    socket.write(request);
  });
}

/** GET / in plain HTTP and over TLS: does the port answer with an HTTP status line? */
export async function httpReferee(port: number): Promise<HttpReferee> {
  const request = 'GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n';
  const plain = await new Promise<string>((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => void firstLine(s, request).then(resolve));
    s.once('error', () => resolve(''));
  });
  if (/^HTTP\/\d/.test(plain)) return 'answers-http';
  const secure = await new Promise<string>((resolve) => {
    const s = tls.connect(
      { host: '127.0.0.1', port, rejectUnauthorized: false },
      () => void firstLine(s, request).then(resolve),
    );
    s.once('error', () => resolve(''));
    s.setTimeout(3000, () => (s.destroy(), resolve('')));
  });
  return /^HTTP\/\d/.test(secure) ? 'answers-http' : 'no-http';
}

export async function agreement(ours: readonly ServiceResult[], nmap: NmapSv): Promise<Judged[]> {
  const rows = compareServices(ours, nmap.services);
  const referees = new Map<number, HttpReferee>();
  for (const row of rows) if (needsReferee(row)) referees.set(row.port, await httpReferee(row.port));
  return judgeRows(rows, nmap.services, nmap.softPorts, referees);
}

const show = (s: { service: string | null; product: string | null; version: string | null }) =>
  [s.service ?? '—', s.product ?? '', s.version ?? ''].join(' ').trim();

export function printAgreement(rows: readonly Judged[]): AgreementSummary {
  console.log('| port | asmvs | nmap -sV | nmap match | HTTP GET / | verdict |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) {
    const theirs = r.match === 'guess' ? '(port-table guess)' : show(r.nmap);
    console.log(
      `| ${r.port} | ${show(r.ours)} | ${theirs} | ${r.match} | ${r.referee ?? ''} | ${r.judgement}${r.note && r.judgement !== 'agree' ? ` (${r.note})` : ''} |`,
    );
  }
  const s = summarise(rows);
  const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${((100 * n) / d).toFixed(0)} %`);
  console.log(
    `\nhard matches (nmap sure): ${s.hard.total}; asmvs names ${s.hard.agree} the same = ${pct(s.hard.agree, s.hard.total)} (goal 100 %)`,
  );
  console.log(
    `soft matches (nmap's guess): ${s.soft.total}; asmvs agrees ${s.soft.agree}, asmvs right ${s.soft.asmvsRight}, nmap right ${s.soft.nmapRight}, unsettled ${s.soft.unsettled} (goal: nmap right 0)`,
  );
  console.log(`nmap unnamed (port-table guess or nothing): ${s.unnamed.total}; asmvs named ${s.unnamed.asmvsNamed}`);
  return s;
}

/** The agreement as result rows: hard matches named the same (goal: all), soft matches where nmap was right (none). */
export function recordAgreement(report: ReturnType<typeof benchReport>, on: string, s: AgreementSummary): void {
  report.record({
    figure: `${on}: services asmvs names as nmap's hard matches do`,
    value: s.hard.agree,
    unit: 'ports',
    baseline: { name: 'nmap -sV hard matches', value: s.hard.total },
    goal: { text: 'all', met: s.hard.agree === s.hard.total },
  });
  report.record({
    figure: `${on}: nmap's soft matches where nmap, not asmvs, is right (asmvs right on ${s.soft.asmvsRight}, unsettled ${s.soft.unsettled})`,
    value: s.soft.nmapRight,
    unit: 'ports',
    baseline: { name: 'nmap -sV soft matches', value: s.soft.total },
    goal: { text: 'none', met: s.soft.nmapRight === 0 },
  });
}
