// Must show: a poison pill (malformed Avro) lands in the DLQ with its bytes and headers, later events are
// processed, no crash loop. Also: a retryable failure that clears after two attempts is processed once, and an
// exhausted one is dead-lettered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createStageRunner } from '../../src/runtime/kafka/stage-runner.ts';
import { createMetrics } from '../../src/observability/metrics.ts';
import { headersAsStrings } from '../../src/runtime/dead-letter.ts';
import type { RawFinding } from '../../src/schemas/types.gen.ts';
import { echoProcessor } from '../helpers/fixtures/echo-processor.ts';
import { createHarness } from '../helpers/kafka-harness.ts';

test(
  'poison pills go to the DLQ with headers; retries clear or exhaust; later events flow',
  { timeout: 90_000 },
  async () => {
    const h = await createHarness('poison', { partitions: 1 });
    const metrics = createMetrics();
    const attempts = new Map<string, number[]>();
    const runner = createStageRunner({
      processor: echoProcessor(),
      deps: {
        failures: new Map([
          ['a#1', 2],
          ['a#2', 99],
        ]),
        onAttempt: (raw: RawFinding, attempt: number) =>
          attempts.set(raw.eventId, [...(attempts.get(raw.eventId) ?? []), attempt]),
      },
      kafka: h.kafka,
      codec: h.codec,
      topicPrefix: h.prefix,
      runtime: { ...h.config.runtime, retry: { maxAttempts: 4, baseMs: 5, maxMs: 20 } },
      logger: pino({ level: 'silent' }),
      metrics,
    });
    try {
      await h.produceRaw([{ key: 'a', seq: 0 }]);
      await h.produceBytes('a', Buffer.from('not avro at all'), {
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
        'x-origin': 'test',
      });
      const badBody = Buffer.concat([Buffer.from([0, 0, 0, 0, 0]), Buffer.alloc(4)]);
      badBody.writeInt32BE(h.codec.schemaId('raw-findings'), 1);
      await h.produceBytes('b', badBody);
      await h.produceRaw([
        { key: 'a', seq: 1 },
        { key: 'a', seq: 2 },
        { key: 'a', seq: 3 },
      ]);
      await runner.start();
      const dlq = await h.read(h.dlq, 3, 30_000);
      const out = await h.read(h.output, 3, 30_000);
      assert.equal(dlq.length, 3);
      // Different keys run in parallel, so dead letters of different keys may arrive in any order.
      const byCode = (code: string) => dlq.find((r) => headersAsStrings(r.headers)['asmvs-error-code'] === code);
      const [notAvro, truncated, exhausted] = [
        byCode('DECODE_NO_MAGIC_BYTE'),
        byCode('DECODE_INVALID_BODY'),
        byCode('SCANNER_FAILED'),
      ];
      assert.deepEqual(notAvro?.value, Buffer.from('not avro at all'), 'original bytes');
      assert.equal(notAvro?.key, 'a');
      const hs = headersAsStrings(notAvro?.headers);
      assert.equal(hs['asmvs-error-code'], 'DECODE_NO_MAGIC_BYTE');
      assert.equal(hs['asmvs-stage'], 'test_echo');
      assert.equal(hs['asmvs-attempts'], '1');
      assert.equal(hs['asmvs-source-topic'], h.input);
      assert.equal(hs['asmvs-source-partition'], '0');
      assert.equal(hs['asmvs-source-offset'], '1');
      assert.ok(!Number.isNaN(Date.parse(hs['asmvs-dead-lettered-at'] ?? '')));
      assert.match(hs['asmvs-error-message'] ?? '', /magic byte/);
      assert.equal(hs['x-origin'], 'test', 'original headers kept');
      assert.equal(hs['traceparent'], '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
      assert.equal(headersAsStrings(truncated?.headers)['asmvs-error-code'], 'DECODE_INVALID_BODY');
      assert.deepEqual(truncated?.value, badBody);
      assert.equal(headersAsStrings(exhausted?.headers)['asmvs-error-code'], 'SCANNER_FAILED');
      assert.equal(headersAsStrings(exhausted?.headers)['asmvs-attempts'], '4');
      const seqs = await Promise.all(out.map(async (r) => (await h.decodeFinding(r.value as Buffer)).occurrences));
      assert.deepEqual(seqs, [0, 1, 3], 'later events processed; a#1 once after two failures');
      assert.deepEqual(attempts.get('a#1'), [1, 2, 3]);
      assert.deepEqual(attempts.get('a#2'), [1, 2, 3, 4]);
      assert.ok(runner.health.live(), 'no crash');
      for (let i = 0; i < 50 && (await h.committed()) < 6; i += 1) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await h.committed(), 6, 'committed past the poison pills');
      const text = await metrics.registry.metrics();
      assert.match(text, /asmvs_events_dead_lettered_total\{stage="test_echo",code="DECODE_NO_MAGIC_BYTE"\} 1/);
      assert.match(text, /asmvs_events_retried_total\{stage="test_echo",code="SCANNER_FAILED"\} 5/);
    } finally {
      await runner.stop();
      await h.close();
    }
  },
);
