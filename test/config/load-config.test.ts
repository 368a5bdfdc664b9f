import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadConfig } from '../../src/config/load.ts';
import { requireKafka, requireRegistry } from '../../src/config/config.ts';
import { AsmvsError } from '../../src/errors.ts';

function configError(env: Record<string, string>): AsmvsError {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof AsmvsError);
    return error;
  }
  assert.fail('expected CONFIG_INVALID');
}

test('defaults apply when nothing is set, and the result is frozen', () => {
  const config = loadConfig({});
  assert.equal(config.kafka, undefined);
  assert.equal(config.topics.partitions, 12);
  assert.equal(config.runtime.concurrency, 16);
  assert.ok(Object.isFrozen(config) && Object.isFrozen(config.runtime.retry));
});

test('parses lists, numbers and booleans from strings', () => {
  const config = loadConfig({
    KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.2:9093',
    SCHEMA_REGISTRY_URL: 'http://127.0.0.1:8081/apis/ccompat/v7/',
    TOPIC_PARTITIONS: '3',
    EXACTLY_ONCE: 'true',
    SCOPE_DENY: '10.0.0.0/8,,example.org',
  });
  assert.deepEqual(config.kafka?.brokers, ['127.0.0.1:9092', '127.0.0.2:9093']);
  assert.equal(config.registry?.url, 'http://127.0.0.1:8081/apis/ccompat/v7');
  assert.equal(config.topics.partitions, 3);
  assert.equal(config.runtime.exactlyOnce, true);
  assert.deepEqual(config.scope.deny, ['10.0.0.0/8', 'example.org']);
});

test('a malformed KAFKA_BROKERS names the variable', () => {
  const error = configError({ KAFKA_BROKERS: 'not a broker' });
  assert.equal(error.code, 'CONFIG_INVALID');
  assert.equal(error.retryable, false);
  assert.match(error.message, /KAFKA_BROKERS: each entry must be host:port/);
});

test('a port outside 1-65535 in DNS_RESOLVER or KAFKA_BROKERS is refused by validation, before any I/O', () => {
  for (const [name, value] of [
    ['DNS_RESOLVER', '127.0.0.1:99999'],
    ['DNS_RESOLVER', '[::1]:0'],
    ['KAFKA_BROKERS', '127.0.0.1:9092,127.0.0.1:70000'],
  ] as const) {
    const error = configError({ [name]: value });
    assert.equal(error.code, 'CONFIG_INVALID');
    assert.match(error.message, new RegExp(`${name}: the port must be 1-65535`));
  }
  assert.equal(loadConfig({ DNS_RESOLVER: '[::1]:65535' }).scanners.dnsResolver, '[::1]:65535');
});

test('a malformed SCHEMA_REGISTRY_URL names the variable', () => {
  assert.match(configError({ SCHEMA_REGISTRY_URL: 'ftp://x' }).message, /SCHEMA_REGISTRY_URL: must be an http/);
  assert.match(configError({ SCHEMA_REGISTRY_URL: 'not a url' }).message, /SCHEMA_REGISTRY_URL/);
});

test('every problem is reported at once, each with its variable', () => {
  const error = configError({ STAGE_CONCURRENCY: '0', SHUTDOWN_DEADLINE_MS: '-5', KAFKA_SSL: 'maybe' });
  assert.match(error.message, /STAGE_CONCURRENCY: /);
  assert.match(error.message, /SHUTDOWN_DEADLINE_MS: /);
  assert.match(error.message, /KAFKA_SSL: must be true or false/);
  assert.deepEqual([...(error.details['variables'] as string[])].sort(), [
    'KAFKA_SSL',
    'SHUTDOWN_DEADLINE_MS',
    'STAGE_CONCURRENCY',
  ]);
});

test('commands that need Kafka or the registry say which variable is missing', () => {
  const config = loadConfig({});
  assert.throws(() => requireKafka(config), /KAFKA_BROKERS: required/);
  assert.throws(() => requireRegistry(config), /SCHEMA_REGISTRY_URL: required/);
});

test('SASL settings come as a complete set or not at all', () => {
  assert.match(configError({ KAFKA_SASL_MECHANISM: 'plain' }).message, /KAFKA_SASL_MECHANISM/);
  assert.match(configError({ KAFKA_SASL_USERNAME: 'u' }).message, /KAFKA_SASL_USERNAME\/KAFKA_SASL_PASSWORD/);
  const config = loadConfig({
    KAFKA_BROKERS: 'k:9092',
    KAFKA_SASL_MECHANISM: 'scram-sha-512',
    KAFKA_SASL_USERNAME: 'u',
    KAFKA_SASL_PASSWORD: 'p',
  });
  assert.equal(config.kafka?.sasl?.mechanism, 'scram-sha-512');
});

test('an empty variable counts as unset', () => {
  assert.equal(loadConfig({ KAFKA_BROKERS: '' }).kafka, undefined);
});

test('METRICS_HOST: loopback by default, any IP address when set, a name refused', () => {
  assert.equal(loadConfig({}).metrics.host, '127.0.0.1');
  assert.equal(loadConfig({ METRICS_HOST: '0.0.0.0' }).metrics.host, '0.0.0.0');
  assert.equal(loadConfig({ METRICS_HOST: '::' }).metrics.host, '::');
  assert.match(configError({ METRICS_HOST: 'example.org' }).message, /METRICS_HOST: must be an IP address/);
});
