// OWASP ZAP alerts, shared by the XML and JSON reports (same fields, different syntax).
// One finding per alert and instance place (origin + path): instances that differ only by query, method, param or
// attack fold into one finding's occurrence count. riskcode 0–3 → info/low/medium/high; confidence 1–3 (4 = user
// confirmed) → low/medium/high; riskcode-0 "false positive" confidence (0) is kept as LOW confidence.
import type { Draft } from '../draft.ts';
import type { Confidence, Severity } from '../../schemas/types.gen.ts';
import { plainText, urlsIn } from '../parse/json-read.ts';
import { cweFromNumber } from '../vuln-ids.ts';
import { hostOfUrl, portOfUrl, urlKey } from '../url-key.ts';

export interface ZapAlert {
  pluginid: string | null;
  alertRef: string | null;
  name: string | null;
  riskcode: string | null;
  confidence: string | null;
  riskdesc: string | null;
  desc: string | null;
  solution: string | null;
  reference: string | null;
  otherinfo: string | null;
  cweid: string | null;
  instances: { uri: string | null; method: string | null; param: string | null; evidence: string | null }[];
}

export interface ZapSite {
  name: string | null;
}

const RISK: readonly Severity[] = ['INFO', 'LOW', 'MEDIUM', 'HIGH'];
const CONFIDENCE: readonly Confidence[] = ['LOW', 'LOW', 'MEDIUM', 'HIGH', 'HIGH'];

export function zapDrafts(alert: ZapAlert, site: ZapSite, scanner: Draft['scanner']): Draft[] {
  const ruleId = alert.alertRef ?? alert.pluginid ?? 'unknown';
  const severity = RISK[Number(alert.riskcode)] ?? 'INFO';
  const confidence = CONFIDENCE[Number(alert.confidence)] ?? 'UNKNOWN';
  const cwe = cweFromNumber(alert.cweid);
  const instances =
    alert.instances.length > 0 ? alert.instances : [{ uri: site.name, method: null, param: null, evidence: null }];
  const out: Draft[] = [];
  for (const inst of instances) {
    const url = inst.uri ?? site.name ?? '';
    const key = urlKey(url) ?? (site.name ? urlKey(site.name) : null);
    if (!key) continue;
    out.push({
      family: 'zap',
      ruleId,
      key,
      findingType: 'MISCONFIGURATION',
      title: alert.name ?? ruleId,
      description: plainText(alert.desc),
      severity,
      scannerSeverity: alert.riskdesc,
      confidence,
      cwes: cwe ? [cwe] : [],
      asset: {
        hostname: hostOfUrl(url),
        port: portOfUrl(url),
        protocol: 'tcp',
        service: url.startsWith('https') ? 'https' : 'http',
        url,
      },
      remediation: plainText(alert.solution),
      references: urlsIn(alert.reference),
      evidence:
        [inst.method, inst.param ? `param=${inst.param}` : null, inst.evidence].filter(Boolean).join(' ') ||
        plainText(alert.otherinfo),
      scanner,
    });
  }
  return out;
}
