// Large reports for the benchmarks, grown from the test fixtures by repeating their items with varied keys
// (hosts, ports, package names, lines), so every item is a distinct finding. Built in memory, never stored.
import { readFileSync } from 'node:fs';

const FIXTURES = new URL('../../test/fixtures/reports/', import.meta.url);
const text = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
type Json = Record<string, unknown>;

/** Repeats a JSON array found at `path` until the document is about `bytes` long. */
function growJson(
  file: string,
  path: (string | number)[],
  vary: (item: Json, i: number) => void,
  bytes: number,
): Buffer {
  const doc = JSON.parse(text(file)) as Json;
  let parent: unknown = doc;
  for (const p of path.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[p];
  const key = path.at(-1) as string;
  const items = (parent as Json)[key] as Json[];
  const one = JSON.stringify(items[0]).length;
  const n = Math.max(1, Math.ceil(bytes / one));
  (parent as Json)[key] = Array.from({ length: n }, (_, i) => {
    const copy = structuredClone(items[i % items.length]) as Json;
    vary(copy, i);
    return copy;
  });
  return Buffer.from(JSON.stringify(doc));
}

/** Repeats the XML between `open` and `close` (the first item), varying it, until about `bytes` long. */
function growXml(
  file: string,
  open: string,
  close: string,
  vary: (item: string, i: number) => string,
  bytes: number,
): Buffer {
  const doc = text(file);
  const start = doc.indexOf(open);
  const end = doc.indexOf(close, start) + close.length;
  const item = doc.slice(start, end);
  const n = Math.max(1, Math.ceil(bytes / item.length));
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(vary(item, i));
  return Buffer.from(doc.slice(0, start) + parts.join('\n') + doc.slice(end));
}

const ip = (i: number) => `127.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
const obj = (o: Json, k: string) => o[k] as Json;

export const SYNTHETIC: Readonly<Record<string, (bytes: number) => Buffer>> = {
  'nmap-xml': (b) =>
    growXml(
      'nmap-vulners-weak-tls.xml',
      '<host ',
      '</host>',
      (x, i) => x.replace('addr="127.0.0.1"', `addr="${ip(i)}"`),
      b,
    ),
  'trivy-json': (b) =>
    growJson('trivy-image.json', ['Results', 0, 'Vulnerabilities'], (v, i) => (v['PkgName'] = `pkg${i}`), b),
  'grype-json': (b) => growJson('grype.json', ['matches'], (m, i) => (obj(m, 'artifact')['name'] = `pkg${i}`), b),
  'nuclei-jsonl': (b) => {
    const lines = text('nuclei.jsonl').trim().split('\n');
    const out: string[] = [];
    for (let i = 0, size = 0; size < b; i++) {
      const line = lines[i % lines.length]!.replace(/127\.0\.0\.1:80(80|81)/g, `${ip(i)}:8080`);
      out.push(line);
      size += line.length + 1;
    }
    return Buffer.from(out.join('\n') + '\n');
  },
  sarif: (b) =>
    growJson(
      'semgrep.sarif',
      ['runs', 0, 'results'],
      (r, i) => {
        const loc = obj(obj((r['locations'] as Json[])[0]!, 'physicalLocation'), 'region');
        loc['startLine'] = i + 1;
        // each copy is a distinct result to the tool, so it has its own fingerprint (the SARIF identity)
        r['fingerprints'] = { 'matchBasedId/v1': `m${i}` };
      },
      b,
    ),
  'osv-json': (b) =>
    growJson('osv-scanner.json', ['results', 0, 'packages'], (p, i) => (obj(p, 'package')['name'] = `pkg${i}`), b),
  'zap-xml': (b) =>
    growXml(
      'zap.xml',
      '<alertitem>',
      '</alertitem>',
      (x, i) => x.replaceAll('http://127.0.0.1:8080/', `http://127.0.0.1:8080/p${i}/`),
      b,
    ),
  'zap-json': (b) =>
    growJson(
      'zap.json',
      ['site', 0, 'alerts'],
      (a, i) => {
        for (const inst of a['instances'] as Json[]) inst['uri'] = String(inst['uri']).replace('8080/', `8080/p${i}/`);
      },
      b,
    ),
  'openvas-xml': (b) =>
    growXml('openvas.xml', '<result id=', '</result>', (x, i) => x.replace(/<host>127\.0\.0\.1/, `<host>${ip(i)}`), b),
  'asmvs-checks-json': (b) =>
    growJson('asmvs-checks.json', ['checks'], (c, i) => ((c['port'] = 1 + (i % 65000)), (c['host'] = ip(i >> 10))), b),
};
