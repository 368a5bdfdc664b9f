// Must show, against the real broker (normalized-findings at the default max.message.bytes, 1 MiB, and raw-findings
// and its dead-letter topic at 16 MiB, as the pipeline declares them): an output larger than its topic
// takes is dead-lettered as OUTPUT_TOO_LARGE and the stage goes on (the broker refuses such a record for good: it
// used to be retried for ever, offsets held, the stage stuck); and one event whose outputs together pass a request's
// size (2,000 findings of 1.2 kB, all on one partition: a thousand of them pass a batch's 1 MiB) is published
// whole, in order, in several requests. Both ways of publishing: at least once, and exactly once (a transaction).
// And a topic that takes more (raw-findings takes 16 MiB): the stage learns its limit at start, reads a 3 MB record
// with its usual fetch sizes and writes a 1.1 MB one. Records produced from outside a stage (a dead-letter re-drive)
// are sent in requests the broker takes too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { createStageRunner } from '../../src/runtime/kafka/stage-runner.ts';
import { headersAsStrings } from '../../src/runtime/dead-letter.ts';
import type { Processor } from '../../src/processor.ts';
import { publishRaw } from '../../src/runtime/kafka/publish.ts';
import { RAW_FINDINGS_MAX_BYTES } from '../../src/topics.ts';
import { findingOf, rawFinding } from '../helpers/fixtures/events.ts';
import { createHarness } from '../helpers/kafka-harness.ts';

const MANY = 2_000;

const sizes: Processor<'raw-findings', 'normalized-findings', Record<string, never>> = {
  name: 'test_sizes',
  input: 'raw-findings',
  outputs: ['normalized-findings'],
  pure: false,
  async handle(raw, ctx) {
    const base = findingOf(raw, { topic: ctx.meta.topic, partition: ctx.meta.partition, offset: 0 });
    const key = raw.assetId ?? raw.eventId;
    if (raw.eventId.startsWith('huge#'))
      ctx.emit('normalized-findings', key, { ...base, description: 'x'.repeat(1_100_000) });
    else if (raw.eventId.startsWith('many#'))
      for (let i = 0; i < MANY; i++)
        ctx.emit('normalized-findings', key, {
          ...base,
          fingerprint: `${raw.eventId}/${i}`,
          description: `finding ${i} `.padEnd(1_100, '.'),
        });
    else ctx.emit('normalized-findings', key, base);
  },
};

async function outputsOfEverySize(exactlyOnce: boolean): Promise<void> {
  const h = await createHarness('sizes', { partitions: 1 });
  const runner = createStageRunner({
    processor: { ...sizes, pure: exactlyOnce },
    deps: {},
    kafka: h.kafka,
    codec: h.codec,
    topicPrefix: h.prefix,
    groupId: h.groupId,
    runtime: { ...h.config.runtime, exactlyOnce },
    logger: pino({ level: 'silent' }),
  });
  try {
    await h.produceRaw([
      { key: 'a', seq: 0 },
      { key: 'huge', seq: 1 },
      { key: 'many', seq: 2 },
      { key: 'a', seq: 3 },
    ]);
    await runner.start();
    assert.equal(runner.exactlyOnce, exactlyOnce);
    const out = await h.read(h.output, MANY + 2, 60_000);
    const dlq = await h.read(h.dlq, 1, 30_000);
    const fingerprints = await Promise.all(
      out.map(async (r) => (await h.decodeFinding(r.value as Buffer)).fingerprint),
    );
    assert.deepEqual(
      fingerprints,
      ['a#0', ...Array.from({ length: MANY }, (_, i) => `many#2/${i}`), 'a#3'],
      'every output once, in order; nothing of the huge event',
    );
    const bytes = out.reduce((n, r) => n + (r.value as Buffer).length, 0);
    assert.ok(bytes > 2_000_000, `the many outputs are ${bytes} bytes: more than a request carries`);
    assert.equal(dlq.length, 1);
    const hs = headersAsStrings(dlq[0]?.headers);
    assert.equal(hs['asmvs-error-code'], 'OUTPUT_TOO_LARGE');
    assert.match(hs['asmvs-error-message'] ?? '', /normalized-findings record is \d+ bytes, more than the \d+/);
    assert.equal(dlq[0]?.key, 'huge');
    for (let i = 0; i < 50 && (await h.committed()) < 4; i += 1) await new Promise((r) => setTimeout(r, 100));
    assert.equal(await h.committed(), 4, 'committed past all four');
    assert.ok(runner.health.live());
  } finally {
    await runner.stop();
    await h.close();
  }
}

const title = 'an output too large for its topic is dead-lettered; outputs larger than a request go in several';
test(`${title} (at least once)`, { timeout: 120_000 }, () => outputsOfEverySize(false));
test(`${title} (exactly once)`, { timeout: 120_000 }, () => outputsOfEverySize(true));

test(
  'a topic that takes more: its limit is learnt at start, and records past 1 MiB are read and written',
  {
    timeout: 120_000,
  },
  async () => {
    const h = await createHarness('sizes-big', { partitions: 1 });
    // the output raised too (the input takes 16 MiB already)
    await h.admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: 2 /* TOPIC */,
          name: h.output,
          configEntries: [{ name: 'max.message.bytes', value: String(RAW_FINDINGS_MAX_BYTES) }],
        },
      ],
    });
    const runner = createStageRunner({
      processor: sizes,
      deps: {},
      kafka: h.kafka,
      codec: h.codec,
      topicPrefix: h.prefix,
      groupId: h.groupId,
      runtime: h.config.runtime,
      logger: pino({ level: 'silent' }),
    });
    try {
      const payload = Buffer.alloc(3_000_000, 'x');
      await h.produceBytes('big', h.codec.encode('raw-findings', rawFinding('big', 0, { payload })));
      await h.produceRaw([{ key: 'huge', seq: 1 }]);
      await runner.start();
      const out = await h.read(h.output, 2, 60_000);
      const findings = await Promise.all(out.map((r) => h.decodeFinding(r.value as Buffer)));
      assert.deepEqual(
        findings.map((f) => f.fingerprint),
        ['big#0', 'huge#1'],
      );
      assert.ok((out[1]?.value as Buffer).length > 1_100_000);
      for (let i = 0; i < 50 && (await h.committed()) < 2; i += 1) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await h.committed(), 2);
      assert.equal((await h.readAll(h.dlq)).length, 0, 'nothing dead-lettered');
    } finally {
      await runner.stop();
      await h.close();
    }
  },
);

test(
  'records produced from outside a stage go in requests the broker takes (3 × 600 kB, one partition)',
  {
    timeout: 60_000,
  },
  async () => {
    const h = await createHarness('sizes-raw', { partitions: 1 });
    try {
      const records = ['r0', 'r1', 'r2'].map((key) => ({
        key: Buffer.from(key),
        value: Buffer.alloc(600_000, key),
        headers: {},
      }));
      // to a topic at the broker's default, 1 MiB (the dead-letter topics of every input but raw-findings)
      await publishRaw(h.config, h.output, records);
      const read = await h.read(h.output, 3, 30_000);
      assert.deepEqual(
        read.map((r) => String(r.key)),
        ['r0', 'r1', 'r2'],
      );
    } finally {
      await h.close();
    }
  },
);
