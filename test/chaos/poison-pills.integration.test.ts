// Chaos: poison pills among valid events, through the real stages. Garbage bytes, an unknown schema id and a
// corrupt report on raw-findings (vs_normalization), an out-of-scope and an invalid target on discovery-requests
// (asm_discovery): each is dead-lettered once, at once, with its bytes and the failure in headers; the valid reports
// around them are normalized; each refused request gets its FAILED job status. Nothing else goes to a DLQ.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTopics } from '../../src/admin/topics.ts';
import { discoveryRequest } from '../../src/app/requests.ts';
import { runStages } from '../../src/app/run-stages.ts';
import { requireKafka } from '../../src/config/config.ts';
import { createKafka } from '../../src/runtime/kafka/client.ts';
import { headersAsStrings } from '../../src/runtime/dead-letter.ts';
import { readToEnd } from '../../src/runtime/kafka/read-topic.ts';
import { createRegistryCodec } from '../../src/schemas/codec.ts';
import type { JobStatus } from '../../src/schemas/types.gen.ts';
import { removePrefixed } from '../helpers/cleanup.ts';
import { eventually } from '../helpers/eventually.ts';
import { readAll } from '../helpers/read-all.ts';
import { SCHEMA_REGISTRY_URL, stackConfig, uniquePrefix } from '../helpers/stack.ts';
import { fixture, rawOf } from '../normalizers/raw.ts';

const VALID_REPORTS = 3;

test(
  'poison pills are dead-lettered once with headers; the valid events around them flow',
  { timeout: 180_000 },
  async () => {
    const prefix = uniquePrefix('chaos-poison');
    const config = stackConfig({
      TOPIC_PREFIX: prefix,
      TOPIC_PARTITIONS: '2',
      RETRY_BASE_MS: '20',
      RETRY_MAX_MS: '100',
    });
    const kafka = createKafka(requireKafka(config), 'chaos-poison');
    const admin = kafka.admin();
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    const codec = createRegistryCodec({ url: SCHEMA_REGISTRY_URL, topicPrefix: prefix });
    const count = async (topic: string) =>
      (await admin.fetchTopicOffsets(prefix + topic)).reduce((n, p) => n + Number(p.high), 0);
    await createTopics(config);
    await admin.connect();
    await producer.connect();
    await codec.register(['raw-findings', 'discovery-requests']);
    const stages = await runStages(config, ['vs_normalization', 'asm_discovery']);
    try {
      const send = (topic: string, key: string, value: Buffer) =>
        producer.send({
          topic: prefix + topic,
          acks: -1,
          messages: [{ key, value, headers: { 'x-origin': 'chaos' } }],
        });
      const report = (n: number, payload: string) =>
        codec.encode(
          'raw-findings',
          rawOf(payload, {
            eventId: `raw-${n}`,
            scanId: `scan-${n}`,
            assetId: `asset-${n}`,
            scanner: { name: 'nmap', version: '7.93' },
            format: 'nmap-xml',
          }),
        );
      const valid = fixture('nmap-loopback.xml').toString();
      await send('raw-findings', 'asset-0', report(0, valid));
      await send('raw-findings', 'garbage', Buffer.from('this is not Avro'));
      await send('raw-findings', 'asset-1', report(1, valid));
      await send('raw-findings', 'unknown-schema', Buffer.from([0, 0x7f, 0xff, 0xff, 0xf0, 2, 4, 6]));
      await send('raw-findings', 'asset-corrupt', report(99, '<?xml version="1.0"?><nmaprun><host><ports><port'));
      await send('raw-findings', 'asset-2', report(2, valid));
      const outOfScope = discoveryRequest(['169.254.169.254'], { scope: null, profile: 'default', ports: '80' });
      const invalid = discoveryRequest(['no such thing://x'], { scope: null, profile: 'default', ports: '80' });
      for (const r of [outOfScope, invalid])
        await send('discovery-requests', r.requestId, codec.encode('discovery-requests', r));

      await eventually(
        async () => ({
          raw: await count('raw-findings.dlq'),
          discovery: await count('discovery-requests.dlq'),
          summaries: await count('scan-results'),
        }),
        (n) => n.raw >= 3 && n.discovery >= 2 && n.summaries >= VALID_REPORTS,
        { timeoutMs: 90_000, intervalMs: 250 },
      );
      const dead = async (topic: string) =>
        (await readAll(kafka, admin, prefix + topic, `${prefix}read-${topic}`)).map((r) => headersAsStrings(r.headers));
      const rawDead = await dead('raw-findings.dlq');
      assert.deepEqual(rawDead.map((h) => h['asmvs-error-code']).sort(), [
        'DECODE_NO_MAGIC_BYTE',
        'DECODE_UNKNOWN_SCHEMA',
        'REPORT_UNPARSEABLE',
      ]);
      const discoveryDead = await dead('discovery-requests.dlq');
      assert.deepEqual(discoveryDead.map((h) => h['asmvs-error-code']).sort(), [
        'TARGET_INVALID',
        'TARGET_OUT_OF_SCOPE',
      ]);
      for (const h of [...rawDead, ...discoveryDead]) {
        assert.equal(h['asmvs-attempts'], '1', 'not retried: retries cannot fix a poison pill');
        assert.equal(h['x-origin'], 'chaos', 'its own headers are kept');
      }
      assert.equal(await count('scan-results'), VALID_REPORTS, 'the valid reports around them were normalized');
      const failed: JobStatus[] = [];
      await readToEnd(config, 'job-status', AbortSignal.timeout(30_000), (r) => {
        if (r.value?.state === 'FAILED') failed.push(r.value);
      });
      assert.deepEqual(failed.map((s) => s.requestId).sort(), [outOfScope.requestId, invalid.requestId].sort());
      for (const input of ['assets', 'scan-requests', 'scan-jobs', 'normalized-findings', 'scan-results', 'monitors'])
        assert.equal(await count(`${input}.dlq`), 0, `nothing else dead-lettered (${input}.dlq)`);
      console.log(`[poison] raw-findings.dlq 3, discovery-requests.dlq 2, ${VALID_REPORTS} valid reports normalized`);
    } finally {
      await stages.stop();
      await producer.disconnect().catch(() => undefined);
      await admin.disconnect();
      await removePrefixed(config);
    }
  },
);
