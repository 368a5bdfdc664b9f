import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  KEYED_LIMITS,
  KeyedAttempt,
  keyEntry,
  notKeyed,
  timerBytes,
  timerCount,
  timerOf,
  timersOf,
  withoutTimer,
  type StoredTimer,
} from '../../../src/runtime/keyed/key-entry.ts';
import { AsmvsError } from '../../../src/errors.ts';

const encode = (v: unknown) => Buffer.from(JSON.stringify(v));
const invalid = (re: RegExp) => (e: unknown) =>
  e instanceof AsmvsError && e.code === 'KEYED_STATE_INVALID' && re.test(e.message);

test('an attempt stages state and timers; the base entry is never modified', () => {
  const first = new KeyedAttempt(undefined, encode, () => 100);
  assert.equal(first.state, undefined);
  assert.equal(first.changed, false);
  first.setState({ n: 1 });
  first.schedule('a', 500, { v: 1 });
  first.schedule('b', 200, { v: 2 });
  assert.deepEqual(first.timers(), [
    { id: 'b', at: 200 },
    { id: 'a', at: 500 },
  ]);
  const entry = first.result();
  assert.ok(entry);
  assert.equal(entry.state, '{"n":1}');
  assert.equal(timerOf(entry, 'a')?.scheduledAt, 100);
  assert.deepEqual(JSON.parse(timerBytes(timerOf(entry, 'a') as StoredTimer).toString()), { v: 1 });

  const second = new KeyedAttempt(entry, encode, () => 200);
  const state = second.state as { n: number };
  state.n = 99; // a copy: mutating it without setState changes nothing
  second.schedule('a', 900, { v: 3 }); // same id: replaces
  second.cancel('b');
  second.cancel('missing');
  assert.deepEqual(second.timers(), [{ id: 'a', at: 900 }]);
  const after = second.result();
  assert.equal(after?.state, '{"n":1}');
  assert.equal(timerCount(entry), 2, 'the base is untouched');
  assert.equal(timerOf(entry, 'a')?.at, 500);
});

test('an entry with no state and no timers is gone; withoutTimer removes one timer', () => {
  const a = new KeyedAttempt(undefined, encode, () => 1);
  a.schedule('t', 10, {});
  const entry = a.result();
  assert.equal(withoutTimer(entry, 't'), undefined);
  assert.equal(withoutTimer(entry, 'other'), entry);
  const b = new KeyedAttempt(entry, encode, () => 1);
  b.cancel('t');
  assert.equal(b.changed, true);
  assert.equal(b.result(), undefined);
  const c = new KeyedAttempt(entry, encode, () => 1);
  assert.equal(c.result(), entry, 'unchanged: the same entry');
});

test('limits: timer count, id length, due time, state size and JSON-ness', () => {
  const a = new KeyedAttempt(undefined, encode, () => 1);
  for (let i = 0; i < KEYED_LIMITS.timersPerKey; i += 1) a.schedule(`t${i}`, i, {});
  assert.throws(() => a.schedule('one-more', 1, {}), invalid(/at most 100 pending timers/));
  a.schedule('t0', 5, {}); // replacing is fine at the limit
  assert.throws(() => a.schedule('', 1, {}), invalid(/timer id/));
  assert.throws(() => a.schedule('x'.repeat(201), 1, {}), invalid(/timer id/));
  assert.throws(() => a.schedule('y', Number.NaN, {}), invalid(/ms since the epoch/));
  assert.throws(() => a.setState('x'.repeat(KEYED_LIMITS.stateBytes)), invalid(/larger than/));
  assert.throws(() => a.setState(() => 1), invalid(/JSON value/));
});

test('a stage that is not keyed gets a clear error on any use', () => {
  const view = notKeyed('asm_discovery');
  assert.throws(() => view.state, invalid(/asm_discovery is not declared keyed/));
  assert.throws(() => view.schedule('a', 1, {} as never), invalid(/not declared keyed/));
});

test('a lone timer is held without an array, several as a list; timersOf and timerCount read either', () => {
  const t = (id: string): StoredTimer => ({ id, at: 1, scheduledAt: 0, packed: '' });
  const one = keyEntry(undefined, [t('a')]);
  assert.equal(Array.isArray(one?.timers), false);
  assert.deepEqual(
    timersOf(one).map((x) => x.id),
    ['a'],
  );
  assert.equal(timerCount(one), 1);
  assert.equal(timerOf(one, 'a')?.id, 'a');
  assert.equal(timerOf(one, 'b'), undefined);
  const two = keyEntry('{}', [t('a'), t('b')]);
  assert.deepEqual(
    timersOf(two).map((x) => x.id),
    ['a', 'b'],
  );
  assert.equal(timerCount(two), 2);
  const stateOnly = keyEntry('{}', []);
  assert.equal(stateOnly?.timers, undefined);
  assert.deepEqual(timersOf(stateOnly), []);
  assert.equal(timerCount(stateOnly), 0);
  assert.equal(keyEntry(undefined, []), undefined);
  assert.deepEqual(
    timersOf(withoutTimer(two, 'b')).map((x) => x.id),
    ['a'],
  );
});

test('a timer scheduled again after it fired holds the value given now, whether or not it repeats the old one', () => {
  const first = new KeyedAttempt(undefined, encode, () => 1);
  first.schedule('round', 10, { n: 1 });
  const fired = timerOf(first.result(), 'round') as StoredTimer;
  const again = (value: unknown) => {
    const a = new KeyedAttempt(withoutTimer(first.result(), 'round'), encode, () => 2, fired);
    a.schedule('round', 20, value);
    return timerBytes(timerOf(a.result(), 'round') as StoredTimer).toString();
  };
  assert.equal(again({ n: 1 }), JSON.stringify({ n: 1 }));
  assert.equal(again({ n: 2 }), JSON.stringify({ n: 2 }));
});
