// One Kafka session per app: `scan --submit --follow` (take job-status's end, produce the request and its ACCEPTED
// status, follow job-status) makes one kafkajs client with one producer, one admin and the follow's consumer, and
// registers each subject once (four clients and two codecs before the app factory). Counted by wrapping kafkajs'
// Kafka class, which src/runtime/kafka/client.ts instantiates, and the registry client's register().
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import kafkajs from 'kafkajs';
import { createTopics } from '../../src/admin/topics.ts';
import { createApp } from '../../src/app/app.ts';
import { scanTargetRequest } from '../../src/app/requests.ts';
import { openKafkaSession } from '../../src/runtime/kafka/session.ts';
import { pipelineTopics } from '../../src/topology.ts';
import { KAFKA_BROKERS, SCHEMA_REGISTRY_URL, stackConfig, uniquePrefix } from '../helpers/stack.ts';

const prefix = uniquePrefix('session');
const config = stackConfig({ KAFKA_BROKERS, SCHEMA_REGISTRY_URL, TOPIC_PREFIX: prefix, TOPIC_PARTITIONS: '2' });
const counts = { clients: 0, producers: 0, admins: 0, consumers: 0, registrations: 0 };
const Original = kafkajs.Kafka;
const registry = createRequire(import.meta.url)('@kafkajs/confluent-schema-registry') as {
  SchemaRegistry: { prototype: { register: (...a: unknown[]) => Promise<unknown> } };
};
const originalRegister = registry.SchemaRegistry.prototype.register;

before(async () => {
  await createTopics(config);
  kafkajs.Kafka = class extends Original {
    constructor(...args: ConstructorParameters<typeof Original>) {
      super(...args);
      counts.clients += 1;
    }
    override producer(...a: Parameters<InstanceType<typeof Original>['producer']>) {
      counts.producers += 1;
      return super.producer(...a);
    }
    override admin(...a: Parameters<InstanceType<typeof Original>['admin']>) {
      counts.admins += 1;
      return super.admin(...a);
    }
    override consumer(...a: Parameters<InstanceType<typeof Original>['consumer']>) {
      counts.consumers += 1;
      return super.consumer(...a);
    }
  };
  registry.SchemaRegistry.prototype.register = function (this: unknown, ...a: unknown[]) {
    counts.registrations += 1;
    return originalRegister.apply(this, a);
  };
});

after(async () => {
  kafkajs.Kafka = Original;
  registry.SchemaRegistry.prototype.register = originalRegister;
  const session = openKafkaSession(config, 'session-cleanup');
  const admin = await session.admin();
  await admin.deleteTopics({ topics: pipelineTopics({ rawFindingsRetentionMs: 1 }).map((s) => prefix + s.name) });
  await session.close();
});

test('submit and follow share one client, producer and admin, and register each subject once', async () => {
  const app = createApp(config);
  try {
    const request = scanTargetRequest('127.0.0.1', { scope: null, profile: 'fast' });
    const submitted = await app.submit(request, { follow: true });
    // No stage runs here: the follow reads job-status (the ACCEPTED status) until its timeout.
    const statuses: string[] = [];
    await assert.rejects(
      submitted.follow({ timeoutMs: 3_000, onStatus: (s) => statuses.push(s.state) }),
      (e: { code?: string }) => e.code === 'SCAN_DEADLINE_EXCEEDED',
    );
    assert.deepEqual(statuses, ['ACCEPTED']);
  } finally {
    await app.close();
  }
  assert.deepEqual(counts, { clients: 1, producers: 1, admins: 1, consumers: 1, registrations: 2 });
});
