import { normalizeRaw } from './src/normalizers/index.ts';
import { readFileSync } from 'node:fs';
const file = process.argv[2]!;
const r = normalizeRaw({ eventId: 'e', requestId: 'r', producedAt: 0, producer: { stage: 's', version: 'v' }, scanId: 's', assetId: 'a', target: 't', address: null, scanner: { name: '', version: null }, format: process.argv[3] ?? '', payload: readFileSync(file), truncated: false, complete: true, part: 0, parts: 1, startedAt: 0, finishedAt: 0 }, { topic: 't', partition: 0, offset: 0 }, { now: 0 });
console.log(r.format, r.findings.length, r.complete);
for (const f of r.findings) console.log(JSON.stringify({ rule: f.ruleId, t: f.findingType, sev: f.severity, occ: f.occurrences, asset: f.asset, pkg: f.affectedPackage, code: f.affectedCode, cves: f.cves, adv: f.advisories, cwes: f.cwes, cvss: f.cvss, status: f.status, refs: f.references.length, ev: f.evidence?.slice(0, 80), title: f.title.slice(0, 60) }));
