// A host_scan copy's connection caps: never more slots in use than its limit, new slots no faster than its rate,
// and a request's lower limits taken from the copy's as well.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectBudget } from '../../src/scanners/tcp/connect-budget.ts';

test('slots in flight never pass the limit; a freed slot wakes a waiter', async () => {
  const budget = connectBudget({ inFlight: 3, perSecond: 0 });
  assert.ok(budget.tryTake() && budget.tryTake() && budget.tryTake());
  assert.equal(budget.tryTake(), false);
  const woken = new Promise<void>((resolve) => budget.whenAvailable(resolve));
  budget.give();
  await woken;
  assert.ok(budget.tryTake());
  assert.equal(budget.inUse, 3);
});

test('the rate gives a small burst, then slots at the rate', async () => {
  let now = 0;
  const budget = connectBudget({ inFlight: 1000, perSecond: 100 }, { now: () => now });
  let taken = 0;
  while (budget.tryTake()) taken += 1;
  assert.equal(taken, 5, 'a burst of 50 ms worth');
  now += 100; // 100 ms later: 10 more tokens, capped by the burst of 5
  taken = 0;
  while (budget.tryTake()) taken += 1;
  assert.equal(taken, 5);
  now += 30;
  taken = 0;
  while (budget.tryTake()) taken += 1;
  assert.equal(taken, 3);
});

test("a request's child budget takes from the copy's too, and waits on whichever is full", async () => {
  const copy = connectBudget({ inFlight: 2, perSecond: 0 });
  const request = connectBudget({ inFlight: 5, perSecond: 0 }, { parent: copy });
  assert.ok(request.tryTake() && request.tryTake());
  assert.equal(copy.inUse, 2);
  assert.equal(request.tryTake(), false, 'the copy is full');
  const woken = new Promise<void>((resolve) => request.whenAvailable(resolve));
  assert.equal(copy.tryTake(), false);
  request.give();
  await woken;
  assert.equal(copy.inUse, 1);
  assert.ok(request.tryTake());
});
