// A request traced end to end on the real stack, exported to an OTLP receiver started here: `asmvs scan --submit
// --engine platform` (a scan request for vs_scan_trigger) starts the trace (and prints its id); `asmvs run vs_scan_trigger` handles the request in a child span, logs the
// event with that traceId (here the dead-letter warning: the stage's scope refuses the target), and its output —
// the job-status FAILED — carries a traceparent whose parent is the stage's span.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runCli } from '../helpers/cli.ts';
import { eventually } from '../helpers/eventually.ts';
import { deletePipeline } from '../helpers/pipeline-topics.ts';
import { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, stackConfig, uniquePrefix } from '../helpers/stack.ts';
import { spawnWatched } from '../helpers/stage-process.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { requireKafka } from '../../src/config/config.ts';
import { startOtlpReceiver } from '../helpers/otlp-receiver.ts';

const BIN = fileURLToPath(new URL('../../bin/asmvs.js', import.meta.url));
const prefix = uniquePrefix('trace');
const env = { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, TOPIC_PREFIX: prefix, TOPIC_PARTITIONS: '1' };
const kafka = () => createKafka(requireKafka(stackConfig()), 'trace-test');

after(() => deletePipeline(prefix));

/** The traceparent headers of a topic's records, read from the beginning until `enough` accepts them. */
async function traceparents(topic: string, enough: (seen: string[]) => boolean): Promise<string[]> {
  const consumer = kafka().consumer({ groupId: `${prefix}reader`, maxWaitTimeInMs: 100 });
  const seen: string[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [prefix + topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => void seen.push(String(message.headers?.['traceparent'] ?? '')),
    });
    return await eventually(async () => [...seen], enough, { timeoutMs: 30_000, intervalMs: 100 });
  } finally {
    await consumer.disconnect();
  }
}

test('submit → stage: one trace, exported, logged, propagated', { timeout: 180_000 }, async () => {
  const created = await runCli(['topics', 'create'], env);
  assert.equal(created.code, 0, created.stderr);
  const receiver = await startOtlpReceiver();
  const otel = { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint };
  const stage = spawnWatched([BIN, 'run', 'vs_scan_trigger'], { ...env, ...otel, SCOPE_DENY: '127.0.0.0/8' });
  try {
    await stage.assigned;
    const submitted = await runCli(['scan', '127.0.0.1', '--submit', '--engine', 'platform', '--ports', '1'], {
      ...env,
      ...otel,
    });
    assert.equal(submitted.code, 0, submitted.stderr);
    const traceId = /^trace ([0-9a-f]{32})$/m.exec(submitted.stdout)?.[1];
    assert.ok(traceId, submitted.stdout);

    const spans = await eventually(
      async () => receiver.spans.filter((s) => s.traceId === traceId),
      (found) => found.some((s) => s.name === 'vs_scan_trigger process'),
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const root = spans.find((s) => s.name === 'submit scan-requests');
    const handled = spans.find((s) => s.name === 'vs_scan_trigger process');
    assert.ok(root && handled);
    assert.equal(root.parentSpanId, '');
    assert.equal(handled.parentSpanId, root.spanId);
    assert.equal(handled.attributes['asmvs.error_code'], 'TARGET_OUT_OF_SCOPE');

    const logged = stage.stdout.filter((line) => line.includes(`"traceId":"${traceId}"`));
    assert.ok(
      logged.some((line) => line.includes('dead-lettering')),
      stage.stdout.join('\n'),
    );

    // job-status: the CLI's ACCEPTED (parent: the request span) and the stage's FAILED (parent: the stage's span).
    const headers = await traceparents('job-status', (seen) => seen.length >= 2);
    assert.deepEqual(headers.sort(), [`00-${traceId}-${root.spanId}-01`, `00-${traceId}-${handled.spanId}-01`].sort());
  } finally {
    stage.child.kill('SIGTERM');
    await stage.exited;
    await receiver.close();
  }
});
