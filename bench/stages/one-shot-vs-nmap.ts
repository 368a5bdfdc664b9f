// Benchmark: the one-shot `asmvs scan 127.0.0.1` (default profile, every stage in one process) against
// `nmap -sV 127.0.0.1` (nmap's default: top 1,000 ports), same run, same machine, loopback only.
// Prints both wall times, the ratio (goal ≤ 1.0) and whether asmvs names at least every service nmap names.
// Run: node bench/stages/one-shot-vs-nmap.ts
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseNmapXml } from '../../src/normalizers/formats/nmap/read-nmap-xml.ts';
import type { Finding } from '../../src/schemas/types.gen.ts';

const BIN = fileURLToPath(new URL('../../bin/asmvs.js', import.meta.url));

function run(
  cmd: string,
  args: string[],
  timeoutMs: number,
): Promise<{ ms: number; stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'], timeout: timeoutMs });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ ms: performance.now() - started, stdout, code }));
  });
}

const ours = await run(
  process.execPath,
  ['--disable-warning=TimeoutNegativeWarning', BIN, 'scan', '127.0.0.1', '--json'],
  600_000,
);
const nmap = await run('nmap', ['-sV', '-Pn', '-n', '-oX', '-', '127.0.0.1'], 900_000);
if (ours.code !== 0 || nmap.code !== 0) throw new Error(`a scan failed: asmvs ${ours.code}, nmap ${nmap.code}`);

const findings = JSON.parse(ours.stdout) as Finding[];
const ourServices = new Map(
  findings.filter((f) => f.findingType === 'SERVICE').map((f) => [f.asset.port ?? 0, f.asset.service ?? '?']),
);
const report = parseNmapXml(Buffer.from(nmap.stdout));
const nmapServices = new Map<number, string>();
for (const host of report.hosts)
  for (const p of host.ports) if (p.state === 'open') nmapServices.set(p.port, p.service?.name ?? '?');

console.log('port   asmvs            nmap -sV');
for (const port of [...new Set([...ourServices.keys(), ...nmapServices.keys()])].sort((a, b) => a - b)) {
  console.log(
    `${String(port).padEnd(6)} ${(ourServices.get(port) ?? '—').padEnd(16)} ${nmapServices.get(port) ?? '—'}`,
  );
}
const missed = [...nmapServices.keys()].filter((p) => !ourServices.has(p));
console.log(
  `\nasmvs scan 127.0.0.1: ${(ours.ms / 1000).toFixed(1)} s, ${findings.length} findings (${ourServices.size} services)`,
);
console.log(`nmap -sV 127.0.0.1:   ${(nmap.ms / 1000).toFixed(1)} s, ${nmapServices.size} open ports`);
console.log(`time ratio asmvs/nmap: ${(ours.ms / nmap.ms).toFixed(2)} (goal ≤ 1.0)`);
console.log(`open ports nmap found that asmvs did not: ${missed.length === 0 ? 'none' : missed.join(', ')}`);
