// Tracing: a submitted request's span is the root, a stage's span for the event is its child and the stage's
// outputs name that span as their parent; spans reach an OTLP receiver (HTTP, protobuf) started here. Without an
// endpoint nothing is exported and the headers follow W3C trace context all the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventSpan, requestSpan, startTracing, stopTracing, traceIdOf } from '../../src/observability/tracing.ts';
import { startOtlpReceiver } from '../helpers/otlp-receiver.ts';

const where = { topic: 'scan-requests', partition: 3, offset: '42' };

test('spans of a request and of the stage that handles it reach the OTLP receiver, linked', async () => {
  const receiver = await startOtlpReceiver();
  try {
    await startTracing({ endpoint: receiver.endpoint, serviceName: 'asmvs-test' });
    const submitted = requestSpan('scan-requests', 'request-1');
    submitted.end('done');
    const handled = eventSpan('vs_scan_trigger', submitted.traceparent, where);
    handled.end('failed', 'TARGET_OUT_OF_SCOPE');
    await stopTracing();
    const [root, child] = [
      receiver.spans.find((s) => s.name === 'submit scan-requests'),
      receiver.spans.find((s) => s.name === 'vs_scan_trigger process'),
    ];
    assert.ok(root && child, JSON.stringify(receiver.spans));
    assert.equal(root.service, 'asmvs-test');
    assert.equal(root.traceId, submitted.traceId);
    assert.equal(root.parentSpanId, '');
    assert.equal(root.kind, 4, 'producer');
    assert.equal(root.attributes['asmvs.request_id'], 'request-1');
    assert.equal(child.traceId, root.traceId);
    assert.equal(child.parentSpanId, root.spanId, 'the stage span is a child of the request span');
    assert.equal(child.kind, 5, 'consumer');
    assert.equal(child.statusCode, 2, 'error');
    assert.equal(child.attributes['asmvs.error_code'], 'TARGET_OUT_OF_SCOPE');
    assert.equal(child.attributes['messaging.kafka.offset'], 42);
    assert.equal(handled.traceparent, `00-${child.traceId}-${child.spanId}-01`, "outputs' parent is the stage span");
  } finally {
    await stopTracing();
    await receiver.close();
  }
});

test('without an endpoint: W3C headers, a new span id per hop, nothing recorded', () => {
  const submitted = requestSpan('discovery-requests', 'r');
  assert.match(submitted.traceparent ?? '', /^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  const hop = eventSpan('asm_discovery', submitted.traceparent, where);
  assert.equal(traceIdOf(hop.traceparent), submitted.traceId);
  assert.notEqual(hop.traceparent, submitted.traceparent);
  assert.equal(eventSpan('asm_discovery', undefined, where).traceparent, undefined);
  assert.equal(eventSpan('asm_discovery', 'garbage', where).traceparent, undefined);
  assert.equal(traceIdOf(`00-${'0'.repeat(32)}-${'1'.repeat(16)}-01`), undefined);
});
