// Findings as a terminal table: severity, where, what.
import type { Finding } from '../schemas/types.gen.ts';
import { renderTable } from './table.ts';

function where(f: Finding): string {
  if (f.affectedPackage) {
    const p = f.affectedPackage;
    return `${p.name}${p.version ? `@${p.version}` : ''}${p.path ? ` (${p.path})` : ''}`;
  }
  if (f.affectedCode) return `${f.affectedCode.file}${f.affectedCode.line !== null ? `:${f.affectedCode.line}` : ''}`;
  const host = f.asset.url ?? f.asset.ip ?? f.asset.hostname ?? '';
  const port =
    f.asset.port !== null && !f.asset.url ? `:${f.asset.port}/${(f.asset.protocol ?? 'tcp').toLowerCase()}` : '';
  return `${host}${port}`;
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

export function renderFindings(findings: readonly Finding[]): string {
  const rows = findings.map((f) => [
    f.severity.toLowerCase(),
    where(f),
    f.findingType.toLowerCase(),
    what(f).slice(0, 100),
  ]);
  return renderTable(['severity', 'where', 'type', 'finding'], rows);
}
