// On the real stack: a host_scan process learns a request's ping timeout from a HOST_DONE another copy wrote to
// discovery-progress, including one written before it started reading (a copy joining a running request).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTopics } from '../../src/admin/topics.ts';
import { followPingTimings } from '../../src/app/follow-ping-timings.ts';
import { publishEvent } from '../../src/runtime/kafka/publish.ts';
import { requestTimings } from '../../src/scanners/tcp/request-timings.ts';
import { eventually } from '../helpers/eventually.ts';
import { deletePipeline } from '../helpers/pipeline-topics.ts';
import { progressRecord } from '../helpers/progress-records.ts';
import { silent } from '../helpers/runtime-settings.ts';
import { stackConfig, uniquePrefix } from '../helpers/stack.ts';

const prefix = uniquePrefix('ping-timing');
const config = stackConfig({ TOPIC_PREFIX: prefix, TOPIC_PARTITIONS: '3', LOG_LEVEL: 'silent' });

before(() => createTopics(config));
after(() => deletePipeline(prefix));

test('HOST_DONE round trips written before and after the reader starts both reach its timings', async () => {
  const timings = requestTimings({ initialMs: 1_000, minMs: 100, maxMs: 3_000 });
  const answered = (requestId: string, index: number) =>
    progressRecord({ eventId: `${requestId}-${index}`, requestId, index, up: true, assets: 1, rttMs: 0.5 });
  await publishEvent(config, 'discovery-progress', 'early', answered('early', 1));
  const stop = new AbortController();
  const following = followPingTimings(config, timings, { log: silent, signal: stop.signal });
  try {
    const timeoutOf = (requestId: string) => async () => timings.forHost(requestId, 9).timeoutMs();
    await eventually(timeoutOf('early'), (ms) => ms === 100, { timeoutMs: 30_000 });
    assert.equal(timings.forHost('late', 9).timeoutMs(), 1_000);
    await publishEvent(config, 'discovery-progress', 'late', answered('late', 2));
    await eventually(timeoutOf('late'), (ms) => ms === 100, { timeoutMs: 30_000 });
  } finally {
    stop.abort();
    await following;
  }
});
