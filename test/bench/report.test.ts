import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toRow } from '../../bench/report.ts';
import { resultsMarkdown } from '../../bench/results-markdown.ts';

test('a row against a baseline carries the ratio, and a goal on the ratio is judged on it', () => {
  const row = toRow('runtime/throughput', {
    figure: 'stage',
    value: 40,
    unit: 'events/s',
    baseline: { name: 'raw', value: 50 },
    goal: { on: 'ratio', op: '≥', limit: 0.8 },
  });
  assert.equal(row.ratio, 0.8);
  assert.equal(row.goal, 'ratio ≥ 0.8×');
  assert.equal(row.met, true);
  assert.equal(row.noBaseline, null);
});

test('a goal on the value names the unit; a phase that timed out (NaN) is null and misses its goal', () => {
  const row = toRow('runtime/latency', {
    figure: 'p50',
    value: Number.NaN,
    unit: 'ms',
    baseline: { none: 'nothing comparable' },
    goal: { on: 'value', op: '<', limit: 20 },
  });
  assert.equal(row.value, null);
  assert.equal(row.ratio, null);
  assert.equal(row.goal, 'value < 20 ms');
  assert.equal(row.met, false);
  assert.equal(row.noBaseline, 'nothing comparable');
});

test('the results table escapes cells and shows the output of a bench that recorded no rows', () => {
  const row = toRow('a/b', { figure: 'x | y', value: 2, unit: 's', baseline: { name: 'z', value: 4 } });
  const md = resultsMarkdown(
    {
      started: new Date(0),
      seconds: 60,
      machine: 'm',
      load: { start: [1, 1, 1], end: [2, 2, 2] },
      node: 'v24',
      commit: 'abc',
      stack: 'not needed',
    },
    [
      { name: 'a/b', args: [], status: 'ok', seconds: 1, rows: [row], tail: [] },
      { name: 'c/d', args: ['1'], status: 'failed (exit 1)', seconds: 2, rows: [], tail: ['boom'] },
    ],
  );
  assert.match(md, /\| a\/b \| x \\\| y \| 2 s \| z: 4 s \| 0\.5× \|/);
  assert.match(md, /### c\/d: no rows recorded[^]*boom/);
});
