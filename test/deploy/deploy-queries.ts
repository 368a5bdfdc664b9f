// Every PromQL expression under deploy/: the Grafana dashboard's targets and the alert rules' expressions.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** Every PromQL expression in deploy/: the dashboard's targets and the rules' expressions. */
export function deployQueries(): { where: string; query: string }[] {
  const board = JSON.parse(read('deploy/grafana/asmvs.json')) as {
    panels: { title: string; targets: { expr: string }[] }[];
    templating: { list: { name: string; query?: unknown }[] };
  };
  const rules = parse(read('deploy/prometheus/alerts.yml')) as {
    groups: { rules: { alert: string; expr: string }[] }[];
  };
  return [
    ...board.panels.flatMap((p) => p.targets.map((t) => ({ where: `panel "${p.title}"`, query: t.expr }))),
    ...rules.groups.flatMap((g) => g.rules.map((r) => ({ where: `alert ${r.alert}`, query: r.expr }))),
  ];
}
