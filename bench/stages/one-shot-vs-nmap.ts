// Benchmark: the one-shot `asmvs scan 127.0.0.1` (every stage in one process) against `nmap -sV` on the SAME port
// list, same run, same machine, loopback only; twice: the default profile's ports (nmap's top 1,000 plus the
// attack-surface ports of src/engines/profiles.ts) and nmap's top 1,000 alone. For each: both wall times, the ratio
// against nmap (the baseline; goal ≤ 0.25), the service table with nmap's hard and soft matches and who is right,
// and the open ports either side found and the other did not.
// Run: node bench/stages/one-shot-vs-nmap.ts [default|top-1000|both]
import { fileURLToPath } from 'node:url';
import { profilePorts } from '../../src/engines/profiles.ts';
import { parsePorts } from '../../src/scanners/scope/ports.ts';
import type { ServiceResult } from '../../src/scanners/scanner.ts';
import type { Finding } from '../../src/schemas/types.gen.ts';
import { agreement, nmapSv, printAgreement, recordAgreement, runTimed } from '../scanners/nmap-sv.ts';
import { benchReport } from '../report.ts';

const BIN = fileURLToPath(new URL('../../bin/asmvs.js', import.meta.url));
const which = process.argv[2] ?? 'both';
const SETS: Record<string, { label: string; ports: readonly number[]; cli: string[] }> = {
  default: {
    label: 'default profile (top 1,000 + attack-surface ports)',
    ports: profilePorts('default'),
    cli: ['--profile', 'default'],
  },
  'top-1000': { label: "nmap's top 1,000", ports: parsePorts('top-1000'), cli: ['--ports', 'top-1000'] },
};

function servicesOfFindings(findings: readonly Finding[]): ServiceResult[] {
  return findings
    .filter((f) => f.findingType === 'SERVICE' && f.asset.port !== null)
    .map((f) => ({
      host: '127.0.0.1',
      hostname: null,
      port: f.asset.port ?? 0,
      protocol: 'TCP',
      state: 'open',
      service: f.asset.service,
      product: f.asset.product,
      version: f.asset.version,
      banner: null,
      tls: null,
      http: null,
      attributes: {},
    }));
}

const summary: string[] = [];
const report = benchReport('stages/one-shot-vs-nmap');
for (const key of which === 'both' ? Object.keys(SETS) : [which]) {
  const set = SETS[key];
  if (!set) throw new Error(`unknown port set ${which} (default, top-1000 or both)`);
  console.log(`\n## ${set.label}: ${set.ports.length} ports\n`);
  const ours = await runTimed(
    process.execPath,
    ['--disable-warning=TimeoutNegativeWarning', BIN, 'scan', '127.0.0.1', ...set.cli, '--json'],
    600_000,
  );
  if (ours.value.code !== 0) throw new Error(`asmvs scan exited with ${ours.value.code}`);
  const nmap = await nmapSv(set.ports);
  const services = servicesOfFindings(JSON.parse(ours.value.stdout.toString('utf8')) as Finding[]);
  const agreed = printAgreement(await agreement(services, nmap.value));
  const found = new Set(services.map((s) => s.port));
  const missed = nmap.value.open.filter((p) => !found.has(p));
  const extra = [...found].filter((p) => !nmap.value.open.includes(p));
  const ratio = ours.ms / nmap.ms;
  const line = `${set.label}: asmvs scan ${(ours.ms / 1000).toFixed(1)} s, nmap -sV ${(nmap.ms / 1000).toFixed(1)} s (baseline), ratio ${ratio.toPrecision(2)} (goal ≤ 0.25)`;
  console.log(`\n${line}`);
  console.log(`open ports nmap found and asmvs did not: ${missed.join(', ') || 'none'}`);
  console.log(`open ports asmvs found and nmap did not: ${extra.join(', ') || 'none'}`);
  summary.push(line);
  report.record({
    figure: `asmvs scan 127.0.0.1, ${set.label} (${set.ports.length} ports)`,
    value: ours.ms / 1000,
    unit: 's',
    baseline: { name: 'nmap -sV on the same ports', value: nmap.ms / 1000 },
    goal: { on: 'ratio', op: '≤', limit: 0.25 },
  });
  report.record({
    figure: `${set.label}: open ports nmap found and asmvs did not${missed.length ? ` (${missed.join(', ')})` : ''}`,
    value: missed.length,
    unit: 'ports',
    baseline: { name: 'open ports nmap found', value: nmap.value.open.length },
    goal: { text: 'none', met: missed.length === 0 },
  });
  recordAgreement(report, set.label, agreed);
}
if (summary.length > 1) console.log(`\n${summary.join('\n')}`);
