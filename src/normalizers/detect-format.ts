// Format detection from the first bytes of a report. It only picks a parser: every parser checks the report's
// signature again and refuses a report that is not its format, so a wrong guess is an error, never empty output.
export const FORMATS = [
  'nmap-xml',
  'trivy-json',
  'grype-json',
  'nuclei-jsonl',
  'nuclei-json',
  'sarif',
  'osv-json',
  'zap-xml',
  'zap-json',
  'openvas-xml',
  'asmvs-checks-json',
] as const;

export type ReportFormat = (typeof FORMATS)[number];

const ALIASES: Readonly<Record<string, ReportFormat>> = {
  'sarif-json': 'sarif',
  'sarif-2.1.0': 'sarif',
  'gvm-xml': 'openvas-xml',
  'osv-scanner-json': 'osv-json',
  nuclei: 'nuclei-jsonl',
  nmap: 'nmap-xml',
  trivy: 'trivy-json',
  grype: 'grype-json',
};

/** A declared format name (the raw event's `format`, a CLI flag) → the canonical name, or null if unknown. */
export function canonicalFormat(name: string | null | undefined): ReportFormat | null {
  if (!name) return null;
  const n = name.trim().toLowerCase();
  if ((FORMATS as readonly string[]).includes(n)) return n as ReportFormat;
  return ALIASES[n] ?? null;
}

const HEAD_BYTES = 64 * 1024;

export function detectFormat(bytes: Uint8Array): ReportFormat | null {
  const head = new TextDecoder('utf-8').decode(bytes.subarray(0, HEAD_BYTES)).replace(/^\uFEFF/, '');
  const start = head.trimStart();
  if (start.startsWith('<')) return detectXml(start);
  if (start.startsWith('{') || start.startsWith('[')) return detectJson(start);
  return null;
}

function detectXml(head: string): ReportFormat | null {
  // the first element name after the prolog (declarations, comments, processing instructions, doctype)
  const m = /<([A-Za-z_][\w.:-]*)[\s>/]/.exec(head.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<![A-Z][^>]*>/g, ''));
  switch (m?.[1]) {
    case 'nmaprun':
      return 'nmap-xml';
    case 'OWASPZAPReport':
      return 'zap-xml';
    case 'report':
    case 'get_reports_response':
      return 'openvas-xml';
    default:
      return null;
  }
}

function detectJson(head: string): ReportFormat | null {
  const has = (key: string) => head.includes(`"${key}"`);
  if (has('$schema') && /sarif/i.test(head)) return 'sarif';
  if (has('runs') && /"version"\s*:\s*"2\.1\.0"/.test(head)) return 'sarif';
  if (has('SchemaVersion') && (has('Results') || has('ArtifactName'))) return 'trivy-json';
  // trivy k8s (Resources since 0.50, Vulnerabilities/Misconfigurations per resource before)
  if (has('ClusterName') && (has('Resources') || has('Vulnerabilities') || has('Misconfigurations')))
    return 'trivy-json';
  // trivy before SchemaVersion 2 (< 0.20): an array of results, each starting with its Target
  if (/^\[\s*\{\s*"Target"\s*:/.test(head)) return 'trivy-json';
  if (has('matches') && (has('artifact') || has('descriptor'))) return 'grype-json';
  if (has('@programName') || (has('site') && has('@name'))) return 'zap-json';
  if (has('template-id') || has('templateID')) return head.startsWith('[') ? 'nuclei-json' : 'nuclei-jsonl';
  if (has('checks') && has('scanner')) return 'asmvs-checks-json';
  if (has('results') && (has('packages') || has('source'))) return 'osv-json';
  return null;
}
