// `asmvs changes` options: --since as a time or a duration ago, --kind, which changes a filter keeps, and from which
// record time a --since read starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CHANGE_KINDS,
  changeMatches,
  parseKind,
  parseSince,
  readStartTime,
  SINCE_READ_MARGIN_MS,
} from '../../src/app/changes-filter.ts';
import { isAsmvsError } from '../../src/errors.ts';
import type { AssetChange } from '../../src/schemas/types.gen.ts';

const NOW = Date.parse('2026-05-01T12:00:00Z');

test('--since takes ISO-8601 times', () => {
  assert.equal(parseSince('2026-05-01T10:00:00Z', NOW), Date.parse('2026-05-01T10:00:00Z'));
  assert.equal(parseSince('2026-05-01T10:00:00.250+02:00', NOW), Date.parse('2026-05-01T08:00:00.250Z'));
  assert.equal(parseSince('2026-04-30', NOW), Date.parse('2026-04-30T00:00:00Z'));
});

test('--since takes a duration meaning that long ago', () => {
  assert.equal(parseSince('1h', NOW), NOW - 3_600_000);
  assert.equal(parseSince('1h30m', NOW), NOW - 5_400_000);
  assert.equal(parseSince('7d', NOW), NOW - 7 * 86_400_000);
});

test('a malformed --since is a usage error naming both forms', () => {
  for (const text of ['yesterday', '1 hour', '2026-13-45', '2026-05-01T25:00Z', '', '-1h', '12:00'])
    assert.throws(
      () => parseSince(text, NOW),
      (e: unknown) => isAsmvsError(e) && e.code === 'USAGE' && /ISO-8601 .* duration ago/.test(e.message),
      text,
    );
});

test('--kind is one of the contract kinds, any case', () => {
  assert.ok(CHANGE_KINDS.includes('PORT_OPENED') && CHANGE_KINDS.includes('OTHER'));
  assert.equal(parseKind('port_opened'), 'PORT_OPENED');
  assert.throws(
    () => parseKind('PORT_OPEN'),
    (e: unknown) => isAsmvsError(e) && /PORT_OPENED/.test(e.message),
  );
});

test('the filter keeps changes observed at or after since, of the asset and kind asked for', () => {
  const change = { assetId: 'a1', kind: 'PORT_OPENED', observedAt: NOW } as AssetChange;
  assert.ok(changeMatches(change, {}));
  assert.ok(changeMatches(change, { since: NOW, assetId: 'a1', kind: 'PORT_OPENED' }));
  assert.ok(!changeMatches(change, { since: NOW + 1 }));
  assert.ok(!changeMatches(change, { assetId: 'a2' }));
  assert.ok(!changeMatches(change, { kind: 'PORT_CLOSED' }));
});

test('a --since read starts at records produced a margin before since, never at a negative (special) timestamp', () => {
  assert.equal(SINCE_READ_MARGIN_MS, 5 * 60_000);
  assert.equal(readStartTime(NOW), NOW - SINCE_READ_MARGIN_MS);
  // Kafka reads the timestamps -1 and -2 as "latest" and "earliest": a time before 1970 starts at the beginning.
  assert.equal(readStartTime(parseSince('1969-12-31', NOW)), 0);
  assert.equal(readStartTime(60_000), 0);
});
