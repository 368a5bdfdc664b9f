// The Grafana dashboard and the Prometheus alert rules: every query parses with Prometheus' grammar and names only
// metrics that a stage process exports (its registry, as /metrics serves it; the integration suite scrapes a running
// stage); the dashboard is what scripts/gen-deploy.ts renders; promtool (Prometheus' own tool) checks the rule file
// and runs the alert cases of deploy/prometheus/alerts.test.yml.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMetrics } from '../../src/observability/metrics.ts';
import { dashboard, DASHBOARD_QUERIES } from '../../scripts/deploy/grafana.ts';
import { exportedNames, parsePromql } from './promql.ts';
import { deployQueries } from './deploy-queries.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

test('deploy/grafana/asmvs.json is what scripts/gen-deploy.ts renders', () => {
  assert.equal(read('deploy/grafana/asmvs.json'), dashboard(), 'run `npm run gen:deploy`');
  assert.equal(deployQueries().filter((q) => q.where.startsWith('panel')).length, DASHBOARD_QUERIES.length);
});

test('every query parses and names only metrics a stage process exports', async () => {
  const exported = exportedNames(await createMetrics(undefined, { defaultMetrics: true }).registry.metrics());
  const queries = deployQueries();
  assert.ok(queries.length >= 18);
  const named = new Set<string>();
  for (const { where, query } of queries) {
    const parsed = parsePromql(query);
    assert.deepEqual(parsed.errors, [], `${where}: ${query}`);
    assert.ok(parsed.metrics.length > 0, `${where} selects no metric`);
    for (const metric of parsed.metrics) {
      assert.ok(exported.has(metric), `${where}: ${metric} is not exported by a stage`);
      named.add(metric);
    }
  }
  // What the issue asks the dashboard and the alerts to show.
  for (const metric of [
    'asmvs_events_consumed_total',
    'asmvs_consumer_lag',
    'asmvs_events_in_flight',
    'asmvs_events_dead_lettered_total',
    'asmvs_scan_duration_seconds_bucket',
    'asmvs_findings_total',
    'asmvs_stage_ready',
    'asmvs_rebalances_total',
  ])
    assert.ok(named.has(metric), metric);
});

test('the metric-name check would catch a metric nobody exports and a syntax error', () => {
  assert.deepEqual(parsePromql('sum(rate(asmvs_events_consumd_total[5m]))').metrics, ['asmvs_events_consumd_total']);
  assert.notDeepEqual(parsePromql('sum(rate(asmvs_events_consumed_total[5m])').errors, []);
  assert.notDeepEqual(parsePromql('{__name__="asmvs_events_consumed_total"}').errors, []);
});

/** promtool from PROMTOOL, .tools/ (scripts/test-all.sh puts Debian's there) or PATH. */
function promtool(): string | undefined {
  const candidates = [process.env['PROMTOOL'], join(ROOT, '.tools/promtool')].filter((p): p is string => !!p);
  const found = candidates.find((p) => existsSync(p));
  if (found) return found;
  try {
    execFileSync('promtool', ['--version'], { stdio: 'ignore' });
    return 'promtool';
  } catch {
    return undefined;
  }
}

test('promtool: the rule file is valid and the alerts fire on their test cases, not otherwise', (t) => {
  const tool = promtool();
  if (!tool) return t.skip('promtool not found (scripts/test-all.sh installs it into .tools/)');
  const dir = join(ROOT, 'deploy/prometheus');
  const check = execFileSync(tool, ['check', 'rules', 'alerts.yml'], { cwd: dir, encoding: 'utf8' });
  assert.match(check, /SUCCESS: 4 rules found/);
  const cases = execFileSync(tool, ['test', 'rules', 'alerts.test.yml'], { cwd: dir, encoding: 'utf8' });
  assert.match(cases, /SUCCESS/);
});
