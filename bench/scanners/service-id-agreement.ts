// Benchmark: service identification against `nmap -sV`, same run, same ports: the ports of the default profile that
// are open on 127.0.0.1 (found by our connect scan; both sides are given exactly that list). nmap's answers are
// not all truth: a hard match is, a soft match is nmap's guess (an HTTP request settles http against sip/rtsp), a
// port-table name is no identification at all. Prints the table, the agreement on hard matches (goal 100 %), who
// is right on soft matches, and both times with their ratio (baseline: nmap -sV).
// Run: node bench/scanners/service-id-agreement.ts
import { AsmvsError } from '../../src/errors.ts';
import { profilePorts } from '../../src/engines/profiles.ts';
import { getScanner, runScanner } from '../../src/scanners/index.ts';
import { nodeIo } from '../../src/scanners/io/scanner-io.ts';
import { operatorPolicy } from '../../src/scanners/scope/policy.ts';
import { scanTcpPortsParallel } from '../../src/scanners/tcp/parallel-scan.ts';
import { agreement, nmapSv, printAgreement, recordAgreement } from './nmap-sv.ts';
import { benchReport } from '../report.ts';

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

const { open: ports } = await scanTcpPortsParallel({
  address: '127.0.0.1',
  ports: profilePorts('default'),
  io: nodeIo,
});
console.log(`open ports of the default profile on 127.0.0.1: ${ports.join(', ')}\n`);

const t0 = performance.now();
const ours = await runScanner(getScanner('service-id'), { target: '127.0.0.1', ports }, ctx);
const oursMs = performance.now() - t0;
const nmap = await nmapSv(ports);

const summary = printAgreement(await agreement(ours.services, nmap.value));
console.log(
  `\ntime on these ${ports.length} ports: asmvs service-id ${oursMs.toFixed(0)} ms, nmap -sV ${nmap.ms.toFixed(0)} ms (baseline); ratio ${(oursMs / nmap.ms).toPrecision(2)} (goal ≤ 0.25)`,
);
const report = benchReport('scanners/service-id-agreement');
recordAgreement(report, `${ports.length} open ports of the default profile`, summary);
report.record({
  figure: `service identification time on the ${ports.length} open ports`,
  value: oursMs,
  unit: 'ms',
  baseline: { name: 'nmap -sV on the same ports', value: nmap.ms },
  goal: { on: 'ratio', op: '≤', limit: 0.25 },
});
