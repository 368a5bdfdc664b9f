// Findings → one self-contained HTML page a person reads: a summary by severity and by asset, then the findings
// grouped by asset and port (or package, or file), each with its description, evidence, remediation and references.
// No script, no external stylesheet, font or image, and a Content-Security-Policy that forbids loading anything, so
// opening the file fetches nothing. Every text from a scanner is escaped for HTML, and characters that reorder or hide
// text (U+202E …) are shown as escapes.
import type { Finding, Severity } from '../../schemas/types.gen.ts';
import type { ExportContext } from './context.ts';
import { visibleText } from './visible-text.ts';

const ORDER: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'];

const STYLE = `
:root{color-scheme:light;--critical:#7a0019;--high:#c2410c;--medium:#a16207;--low:#1d4ed8;--info:#4b5563}
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:72rem;padding:1.5rem;color:#111827}
h1{font-size:1.6rem;margin:0 0 .25rem}h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:1px solid #e5e7eb}
h3{font-size:1.05rem;margin:1.25rem 0 .5rem;color:#374151}h4{margin:0;font-size:1rem}
.meta{color:#4b5563;margin:0}table{border-collapse:collapse;margin:.5rem 0}th,td{padding:.25rem .75rem;text-align:left;border-bottom:1px solid #e5e7eb}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.sev{display:inline-block;min-width:4.5rem;padding:0 .4rem;border-radius:.25rem;color:#fff;font-size:.8rem;text-transform:uppercase;text-align:center;margin-right:.5rem}
.sev-CRITICAL{background:var(--critical)}.sev-HIGH{background:var(--high)}.sev-MEDIUM{background:var(--medium)}.sev-LOW{background:var(--low)}.sev-INFO{background:var(--info)}
article.finding{border:1px solid #e5e7eb;border-left:4px solid var(--info);border-radius:.375rem;padding:.75rem 1rem;margin:.5rem 0}
article.CRITICAL{border-left-color:var(--critical)}article.HIGH{border-left-color:var(--high)}article.MEDIUM{border-left-color:var(--medium)}article.LOW{border-left-color:var(--low)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.5rem 0}dt{color:#6b7280}dd{margin:0;overflow-wrap:anywhere}
pre{background:#f3f4f6;padding:.5rem;border-radius:.25rem;overflow:auto;white-space:pre-wrap;overflow-wrap:anywhere;max-height:20rem}
.remediation{background:#ecfdf5;border-radius:.25rem;padding:.5rem .75rem;margin:.5rem 0}
.partial{background:#fef3c7;padding:.5rem .75rem;border-radius:.25rem}
`;

function esc(text: string, layout = false): string {
  return visibleText(text, layout).replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

interface Group {
  readonly asset: string;
  readonly part: string;
  readonly findings: Finding[];
}

/** Where a finding is: its asset (host, package source, file) and the part of it (port, package, line). */
function placeOf(f: Finding): { asset: string; part: string } {
  const a = f.asset;
  if (f.affectedCode) return { asset: f.affectedCode.file, part: 'code' };
  if (f.affectedPackage) {
    const p = f.affectedPackage;
    return { asset: p.path ?? 'packages', part: `${p.name}${p.version ? ` ${p.version}` : ''}` };
  }
  const host = a.hostname && a.ip ? `${a.hostname} (${a.ip})` : (a.ip ?? a.hostname ?? a.url ?? 'unknown host');
  if (a.port === null) return { asset: host, part: 'host' };
  const service = [a.service, a.product, a.version].filter(Boolean).join(' ');
  return {
    asset: host,
    part: `port ${a.port}/${(a.protocol ?? 'tcp').toLowerCase()}${service ? ` — ${service}` : ''}`,
  };
}

function groupsOf(findings: readonly Finding[]): Map<string, Group[]> {
  const byAsset = new Map<string, Map<string, Group>>();
  for (const f of findings) {
    const { asset, part } = placeOf(f);
    let parts = byAsset.get(asset);
    if (!parts) byAsset.set(asset, (parts = new Map()));
    let group = parts.get(part);
    if (!group) parts.set(part, (group = { asset, part, findings: [] }));
    group.findings.push(f);
  }
  // each group's findings are sorted most severe first
  const worst = (list: readonly Finding[]) => list[0]?.severityId ?? 0;
  const worstOf = (groups: readonly Group[]) => groups.reduce((m, g) => Math.max(m, worst(g.findings)), 0);
  const out = new Map<string, Group[]>();
  const assets = [...byAsset.entries()].map(([asset, parts]) => {
    const groups = [...parts.values()];
    for (const g of groups) g.findings.sort((a, b) => b.severityId - a.severityId || a.title.localeCompare(b.title));
    groups.sort(
      (a, b) => worst(b.findings) - worst(a.findings) || a.part.localeCompare(b.part, 'en', { numeric: true }),
    );
    return [asset, groups] as const;
  });
  assets.sort(([a, ga], [b, gb]) => worstOf(gb) - worstOf(ga) || a.localeCompare(b, 'en', { numeric: true }));
  for (const [asset, groups] of assets) out.set(asset, groups);
  return out;
}

function countsBySeverity(findings: readonly Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFO: 0 };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

function badge(s: Severity): string {
  return `<span class="sev sev-${s}">${s.toLowerCase()}</span>`;
}

function link(url: string): string {
  return /^https?:\/\//i.test(url) ? `<a href="${esc(url)}" rel="noreferrer">${esc(url)}</a>` : esc(url);
}

function findingHtml(f: Finding): string {
  const rows: [string, string][] = [
    ['type', esc(f.findingType.toLowerCase())],
    ['scanner', esc(`${f.scanner.name}${f.scanner.version ? ` ${f.scanner.version}` : ''}`)],
  ];
  if (f.ruleId) rows.push(['rule', esc(f.ruleId)]);
  if (f.cves.length > 0) rows.push(['CVE', esc(f.cves.join(', '))]);
  if (f.advisories.length > 0) rows.push(['advisories', esc(f.advisories.join(', '))]);
  if (f.cwes.length > 0) rows.push(['CWE', esc(f.cwes.join(', '))]);
  for (const c of f.cvss)
    rows.push([`CVSS ${esc(c.version)}`, esc([c.baseScore ?? '', c.vector ?? ''].filter((x) => x !== '').join(' '))]);
  if (f.epss) rows.push(['EPSS', esc(`${f.epss.score}`)]);
  const p = f.affectedPackage;
  if (p) {
    rows.push(['package', esc(`${p.name}${p.version ? ` ${p.version}` : ''}`)]);
    if (p.fixedVersion) rows.push(['fixed in', esc(p.fixedVersion)]);
  }
  if (f.affectedCode)
    rows.push(['file', esc(`${f.affectedCode.file}${f.affectedCode.line ? `:${f.affectedCode.line}` : ''}`)]);
  if (f.asset.url) rows.push(['URL', esc(f.asset.url)]);
  if (f.occurrences > 1) rows.push(['seen', `${f.occurrences} times`]);
  rows.push(['fingerprint', `<code>${esc(f.fingerprint)}</code>`]);
  return [
    `<article class="finding ${f.severity}" data-fingerprint="${esc(f.fingerprint)}" data-severity="${f.severity}">`,
    `<h4>${badge(f.severity)}${esc(f.title)}</h4>`,
    f.description ? `<p>${esc(f.description)}</p>` : '',
    `<dl>${rows.map(([k, v]) => `<dt>${k}</dt><dd>${v}</dd>`).join('')}</dl>`,
    f.evidence ? `<details><summary>Evidence</summary><pre>${esc(f.evidence, true)}</pre></details>` : '',
    f.remediation ? `<div class="remediation"><strong>Remediation.</strong> ${esc(f.remediation)}</div>` : '',
    f.references.length > 0
      ? `<details><summary>References</summary><ul>${f.references.map((r) => `<li>${link(r)}</li>`).join('')}</ul></details>`
      : '',
    '</article>',
  ].join('');
}

/** The page, a group of findings at a time. */
export function* htmlChunks(findings: readonly Finding[], context: ExportContext): Generator<string> {
  const groups = groupsOf(findings);
  const counts = countsBySeverity(findings);
  const title = `asmvs: ${findings.length} findings for ${context.subject}`;
  yield [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="asmvs ${esc(context.version)}">`,
    `<title>${esc(title)}</title><style>${STYLE}</style></head><body>`,
    `<header><h1>${esc(title)}</h1>`,
    `<p class="meta">asmvs ${esc(context.version)} · <code>${esc(['asmvs', ...context.arguments].join(' '))}</code> · ${new Date(context.startedAt).toISOString()} to ${new Date(context.finishedAt).toISOString()}</p>`,
    context.complete ? '' : '<p class="partial">Interrupted: these are the findings seen until then.</p>',
    '</header>',
    '<section id="summary"><h2>Summary</h2>',
    `<table class="by-severity"><thead><tr><th>severity</th><th>findings</th></tr></thead><tbody>`,
    ...ORDER.map((s) => `<tr><td>${badge(s)}</td><td class="n" data-severity="${s}">${counts[s]}</td></tr>`),
    `</tbody></table>`,
    `<table class="by-asset"><thead><tr><th>asset</th>${ORDER.map((s) => `<th>${s.toLowerCase()}</th>`).join('')}</tr></thead><tbody>`,
    ...[...groups.entries()].map(([asset, list], i) => {
      const c = countsBySeverity(list.flatMap((g) => g.findings));
      return `<tr><td><a href="#asset-${i}">${esc(asset)}</a></td>${ORDER.map((s) => `<td class="n">${c[s] || ''}</td>`).join('')}</tr>`;
    }),
    '</tbody></table></section>',
    '<section id="findings">',
  ].join('\n');
  for (const [i, [asset, list]] of [...groups.entries()].entries()) {
    yield `\n<section class="asset" id="asset-${i}"><h2>${esc(asset)}</h2>`;
    for (const g of list) yield `\n<h3>${esc(g.part)}</h3>\n${g.findings.map(findingHtml).join('\n')}`;
    yield '\n</section>';
  }
  yield `\n</section>${findings.length === 0 ? '<p>No findings.</p>' : ''}\n</body></html>\n`;
}
