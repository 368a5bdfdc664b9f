// How one asset change prints: a readable line with every event string escaped, or one JSON object.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { changeJson, changeLine } from '../../src/cli/actions/changes.ts';
import type { AssetChange } from '../../src/schemas/types.gen.ts';

const change: AssetChange = {
  eventId: 'e1',
  requestId: 'req-1',
  producedAt: Date.parse('2026-05-01T12:00:01Z'),
  producer: { stage: 'asm_exposure', version: '0.1.0' },
  changeId: 'c1',
  assetId: 'asset-1',
  kind: 'SERVICE_CHANGED',
  subject: '127.0.0.1:6379/tcp',
  before: 'redis 6.2',
  after: 'redis 7.4',
  observedAt: Date.parse('2026-05-01T12:00:00Z'),
};

test('a readable line: time, kind, subject, before → after, asset, request', () => {
  assert.equal(
    changeLine(change),
    '2026-05-01T12:00:00.000Z  SERVICE_CHANGED      127.0.0.1:6379/tcp  redis 6.2 → redis 7.4  asset asset-1  request req-1',
  );
});

test('a change with neither before nor after prints no arrow; one side missing prints -', () => {
  assert.doesNotMatch(changeLine({ ...change, before: null, after: null }), /→/);
  assert.match(changeLine({ ...change, before: null }), / - → redis 7\.4 /);
});

test('strings from the event cannot reach the terminal raw', () => {
  const line = changeLine({
    ...change,
    subject: 'x\u001b[2J',
    before: 'a\nforged line',
    after: 'b\r',
    assetId: 'id\u009b',
    requestId: 'r\u0007',
  });
  // eslint-disable-next-line no-control-regex -- asserting there are none
  assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f]/);
  assert.match(line, /x\\x1b\[2J .*a\\x0aforged line → b\\x0d .*asset id\\x9b .*request r\\x07/);
});

test('JSON: one object on one line, times in ISO-8601', () => {
  const text = changeJson({ ...change, before: 'a\nb' });
  assert.doesNotMatch(text, /\n/);
  const parsed = JSON.parse(text) as Record<string, unknown>;
  assert.equal(parsed['observedAt'], '2026-05-01T12:00:00.000Z');
  assert.equal(parsed['kind'], 'SERVICE_CHANGED');
  assert.equal(parsed['before'], 'a\nb');
  assert.equal(parsed['assetId'], 'asset-1');
  assert.equal(parsed['requestId'], 'req-1');
});
