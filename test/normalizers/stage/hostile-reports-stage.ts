// Runs vs_normalization (the processor, its deps as the app wires them, the local runner) on hostile reports and
// prints what happened as one JSON line. Started by survives-hostile-reports.test.ts in a child process with the
// compose heap (--max-old-space-size=256 --max-semi-space-size=4), where an uncounted value kind used to kill Node.
import { normalizeRaw } from '../../../src/normalizers/index.ts';
import { vsNormalization } from '../../../src/processors/vs-normalization.ts';
import { createLocalRunner } from '../../../src/runtime/local/local-runner.ts';
import { runtimeSettings, silent } from '../../helpers/runtime-settings.ts';
import { fixture, rawOf } from '../raw.ts';

const MB = 1_000_000;

/** A trivy report whose one vulnerability holds `body` (bytes) in its field "x". */
function trivyWith(bytes: number, fill: string, open = '[', close = ']'): Buffer {
  const head = Buffer.from(
    `{"SchemaVersion":2,"ArtifactName":"a","Results":[{"Target":"t","Type":"npm","Vulnerabilities":[{"VulnerabilityID":"CVE-2024-1","PkgName":"p","x":${open}`,
  );
  const tail = Buffer.from(`${close}}]}]}`);
  const body = Buffer.alloc(bytes - head.length - tail.length).fill(fill);
  // the fill may end mid-item: end the list with a complete one
  const last = fill.startsWith('{') ? '{}' : fill.startsWith('0') ? '0' : '';
  if (last) body.write(last, body.length - last.length);
  return Buffer.concat([head, body, tail]);
}

const cases: { name: string; payload: () => Buffer; format: string }[] = [
  { name: '16 MB of {} in one vulnerability', payload: () => trivyWith(16 * MB, '{},'), format: 'trivy-json' },
  { name: '7 MB of {} (small enough to parse whole)', payload: () => trivyWith(7 * MB, '{},'), format: 'trivy-json' },
  { name: '100 M numbers in one vulnerability', payload: () => trivyWith(200 * MB, '0,'), format: 'trivy-json' },
  {
    name: '16 MB of null, true and false',
    payload: () => trivyWith(16 * MB, 'null,true,false,'),
    format: 'trivy-json',
  },
  {
    name: 'a 64 MB string in one vulnerability',
    payload: () => trivyWith(64 * MB, 'a', '"', '"'),
    format: 'trivy-json',
  },
  {
    name: 'an nmap host of 4 M empty elements',
    payload: () =>
      Buffer.concat([
        Buffer.from('<nmaprun scanner="nmap"><host><address addr="127.0.0.1" addrtype="ipv4"/><ports>'),
        Buffer.alloc(16 * MB).fill('<a/>'),
        Buffer.from('</ports></host></nmaprun>'),
      ]),
    format: 'nmap-xml',
  },
];

const runner = createLocalRunner({
  stages: [{ processor: vsNormalization, deps: { normalize: normalizeRaw, now: () => 0 } }],
  runtime: runtimeSettings(),
  logger: silent,
});
let peakHeap = 0;
const sample = setInterval(() => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)), 20);
// one at a time, each followed by a good report on the same key: the stage goes on after a refusal
for (const [i, c] of cases.entries()) {
  if (process.env['STAGE_DEBUG'])
    process.stderr.write(`${c.name} heap ${Math.round(process.memoryUsage().heapUsed / 1e6)}\n`);
  runner.publish('raw-findings', 'asset-1', rawOf(c.payload(), { eventId: `hostile-${i}`, format: c.format }));
  await runner.idle();
  runner.publish('raw-findings', 'asset-1', rawOf(fixture('nmap-loopback.xml'), { eventId: `good-${i}` }));
  await runner.idle();
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}
clearInterval(sample);
process.stdout.write(
  `${JSON.stringify({
    deadLetters: runner.deadLetters.map((d) => ({
      code: d.error.code,
      attempts: d.attempts,
      message: d.error.message,
    })),
    cases: cases.map((c) => c.name),
    findings: runner.collected('normalized-findings').length,
    peakHeapMB: Math.round(peakHeap / 1e6),
  })}\n`,
);
