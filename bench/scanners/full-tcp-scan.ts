// Benchmark: full 1-65535 TCP connect scan of 127.0.0.1, asmvs vs `nmap -sT -p- 127.0.0.1`, same run, alternating,
// `rounds` rounds each (3 by default; the suite runs 7: nmap itself takes 0.5–0.9 s or 1.6–1.9 s here, run to
// run). Prints times, the ratio (goal <= 1.0) and whether the open-port sets are identical.
// Run: node bench/scanners/full-tcp-scan.ts [rounds]
import { spawnSync } from 'node:child_process';
import { nodeIo } from '../../src/scanners/io/scanner-io.ts';
import { scanTcpPortsParallel } from '../../src/scanners/tcp/parallel-scan.ts';
import { parseNmapXml } from '../../src/normalizers/formats/nmap/read-nmap-xml.ts';
import { benchReport } from '../report.ts';

const rounds = Number(process.argv[2] ?? 3);
const ports = Array.from({ length: 65535 }, (_, i) => i + 1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;

function nmapOnce(): { ms: number; open: number[] } {
  const t0 = performance.now();
  const out = spawnSync('nmap', ['-sT', '-p-', '-n', '-Pn', '-oX', '-', '127.0.0.1'], { maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - t0;
  if (out.status !== 0) throw new Error(`nmap failed: ${out.stderr.toString()}`);
  const report = parseNmapXml(out.stdout);
  const open = report.hosts
    .flatMap((h) => h.ports.filter((p) => p.state === 'open').map((p) => p.port))
    .sort((a, b) => a - b);
  return { ms, open };
}

const ours: number[] = [];
const theirs: number[] = [];
let same = true;
let lastOurs: number[] = [];
let lastNmap: number[] = [];
for (let i = 0; i < rounds; i++) {
  const t0 = performance.now();
  const r = await scanTcpPortsParallel({ address: '127.0.0.1', ports, io: nodeIo });
  ours.push(performance.now() - t0);
  const n = nmapOnce();
  theirs.push(n.ms);
  lastOurs = r.open;
  lastNmap = n.open;
  if (r.open.join(',') !== n.open.join(',')) same = false;
  console.log(
    `round ${i + 1}: asmvs ${ours[i]?.toFixed(0)} ms (${r.open.length} open, ${r.filtered.length} filtered) | nmap -sT -p- ${n.ms.toFixed(0)} ms (${n.open.length} open)`,
  );
}
const ratio = median(ours) / median(theirs);
console.log(`\nfull TCP scan of 127.0.0.1, 65535 ports, median of ${rounds}:`);
console.log(`  asmvs        ${median(ours).toFixed(0)} ms`);
console.log(`  nmap -sT -p- ${median(theirs).toFixed(0)} ms`);
console.log(`  ratio        ${ratio.toFixed(2)} (goal <= 1.00)`);
console.log(
  `  open ports identical in every round: ${same ? 'yes' : 'NO'}  asmvs=[${lastOurs.join(',')}] nmap=[${lastNmap.join(',')}]`,
);
const report = benchReport('scanners/full-tcp-scan');
report.record({
  figure: `full TCP connect scan of 127.0.0.1, 65,535 ports, median of ${rounds}`,
  value: median(ours),
  unit: 'ms',
  baseline: { name: 'nmap -sT -p-', value: median(theirs) },
  goal: { on: 'ratio', op: '≤', limit: 1 },
});
report.record({
  figure: 'open ports found (last round)',
  value: lastOurs.length,
  unit: 'ports',
  baseline: { name: 'nmap -sT -p-', value: lastNmap.length },
  goal: { text: 'the same open ports as nmap in every round', met: same },
});
