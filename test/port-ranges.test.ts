import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatPorts, inPortRanges, parsePortRanges } from '../src/port-ranges.ts';

test('formatPorts sorts, de-duplicates and merges runs, as nmap writes -p', () => {
  assert.equal(formatPorts([6379, 22, 23, 24, 22, 80, 5432]), '22-24,80,5432,6379');
  assert.equal(formatPorts([]), '');
  assert.equal(formatPorts(Array.from({ length: 65535 }, (_, i) => i + 1)), '1-65535');
});

test('parsePortRanges reads what formatPorts and nmap write; anything else is null', () => {
  assert.deepEqual(parsePortRanges('22-24,80,5432,6379'), [
    [22, 24],
    [80, 80],
    [5432, 5432],
    [6379, 6379],
  ]);
  assert.deepEqual(parsePortRanges('80,1-100, 443'), [
    [1, 100],
    [443, 443],
  ]);
  assert.deepEqual(parsePortRanges(''), []);
  for (const bad of ['top-1000', 'all', '10-5', '70000', '22,,80', 'a']) assert.equal(parsePortRanges(bad), null, bad);
});

test('inPortRanges', () => {
  const ranges = parsePortRanges('1-10,22,8000-8100') ?? [];
  for (const p of [1, 10, 22, 8000, 8050, 8100]) assert.equal(inPortRanges(ranges, p), true, String(p));
  for (const p of [0, 11, 21, 23, 7999, 8101, 65535]) assert.equal(inPortRanges(ranges, p), false, String(p));
});
