// PromQL read with Prometheus' own grammar (@prometheus-io/lezer-promql): syntax errors, and the metric names a
// query selects.
import { parser } from '@prometheus-io/lezer-promql';

export interface ParsedQuery {
  readonly errors: readonly string[];
  readonly metrics: readonly string[];
}

export function parsePromql(query: string): ParsedQuery {
  const errors: string[] = [];
  const metrics: string[] = [];
  parser.parse(query).iterate({
    enter(node) {
      const text = query.slice(node.from, node.to);
      if (node.type.isError)
        errors.push(`syntax error at ${node.from}: ${JSON.stringify(query.slice(node.from, node.from + 20))}`);
      else if (node.name === 'LabelName' && text === '__name__') errors.push('selects by __name__: name the metric');
      else if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') metrics.push(text);
    },
  });
  return { errors, metrics };
}

/** Metric names in a Prometheus exposition, histogram and summary series included (_bucket, _sum, _count). */
export function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name, type] = match as unknown as [string, string, string];
    names.add(name);
    if (type === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
    if (type === 'summary') for (const s of ['_sum', '_count']) names.add(name + s);
  }
  return names;
}
