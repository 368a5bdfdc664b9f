// Findings as a terminal table: severity, where, what.
import type { Finding } from '../app/findings.ts';
import { tableLines } from './table.ts';

function where(f: Finding): string {
  if (f.affectedPackage) {
    const p = f.affectedPackage;
    return `${p.name}${p.version ? `@${p.version}` : ''}${p.path ? ` (${p.path})` : ''}`;
  }
  if (f.affectedCode) return `${f.affectedCode.file}${f.affectedCode.line !== null ? `:${f.affectedCode.line}` : ''}`;
  const host = f.asset.url ?? f.asset.ip ?? f.asset.hostname ?? '';
  const port =
    f.asset.port !== null && !f.asset.url ? `:${f.asset.port}/${(f.asset.protocol ?? 'tcp').toLowerCase()}` : '';
  return `${host.includes(':') && port ? `[${host}]` : host}${port}`;
}

function what(f: Finding): string {
  if (f.findingType === 'SERVICE') {
    return [f.asset.service ?? 'unknown service', f.asset.product, f.asset.version]
      .filter((x): x is string => Boolean(x))
      .join(' ');
  }
  const ids = f.cves.length > 0 ? ` (${f.cves.slice(0, 3).join(', ')})` : '';
  return `${f.title}${ids}`;
}

/** The table's lines, one at a time. */
export function findingLines(findings: readonly Finding[]): Generator<string> {
  return tableLines(
    ['severity', 'where', 'type', 'finding'],
    findings.map((f) => [f.severity.toLowerCase(), where(f), f.findingType.toLowerCase(), what(f).slice(0, 100)]),
  );
}

export function renderFindings(findings: readonly Finding[]): string {
  return [...findingLines(findings)].join('');
}
