// A running stage (`asmvs run vs_normalization` on the real stack) exports every metric the Grafana dashboard and
// the alert rules name: scraped from its /metrics once it is ready, after it normalized one report, whose findings
// it counts by severity.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.ts';
import { eventually } from '../helpers/eventually.ts';
import { freePort } from '../helpers/free-port.ts';
import { deletePipeline } from '../helpers/pipeline-topics.ts';
import { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, stackConfig, uniquePrefix } from '../helpers/stack.ts';
import { spawnWatched } from '../helpers/stage-process.ts';
import { publishEvent } from '../../src/runtime/kafka/publish.ts';
import { fixture, rawOf } from '../normalizers/raw.ts';
import { deployQueries } from './deploy-queries.ts';
import { exportedNames, parsePromql } from './promql.ts';

const BIN = fileURLToPath(new URL('../../bin/asmvs.js', import.meta.url));
const prefix = uniquePrefix('metrics');
const env = { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, TOPIC_PREFIX: prefix, TOPIC_PARTITIONS: '1' };

after(() => deletePipeline(prefix));

test(
  'asmvs run vs_normalization exports every metric of the dashboard and the alerts',
  { timeout: 120_000 },
  async () => {
    const created = await runCli(['topics', 'create'], env);
    assert.equal(created.code, 0, created.stderr);
    const port = await freePort();
    const stage = spawnWatched([BIN, 'run', 'vs_normalization'], {
      ...env,
      METRICS_PORT: String(port),
      LOG_LEVEL: 'warn',
    });
    const base = `http://127.0.0.1:${port}`;
    try {
      await eventually(
        () =>
          fetch(`${base}/readyz`).then(
            (r) => r.status,
            () => 0,
          ),
        (status) => status === 200,
        { timeoutMs: 60_000, intervalMs: 200 },
      );
      const raw = rawOf(fixture('trivy-image.json'), {
        scanner: { name: 'trivy', version: null },
        format: 'trivy-json',
      });
      await publishEvent(stackConfig(env), 'raw-findings', 'asset-1', raw);
      const text = await eventually(
        () => fetch(`${base}/metrics`).then((r) => r.text()),
        (t) => /^asmvs_findings_total\{severity="[a-z]+"\} [1-9]/m.test(t),
        { timeoutMs: 30_000, intervalMs: 200 },
      );
      const exported = exportedNames(text);
      for (const { where, query } of deployQueries())
        for (const metric of parsePromql(query).metrics) assert.ok(exported.has(metric), `${where}: ${metric}`);
      assert.match(text, /^asmvs_stage_ready\{stage="vs_normalization"\} 1$/m);
      assert.match(text, /^asmvs_partitions_assigned\{stage="vs_normalization"\} 1$/m);
      assert.match(text, /^asmvs_rebalances_total\{stage="vs_normalization"\} [1-9]/m);
      assert.match(text, /^process_resident_memory_bytes \d+/m);
      assert.match(text, /^asmvs_build_info\{/m);
    } finally {
      stage.child.kill('SIGTERM');
      await stage.exited;
    }
  },
);
