import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FlowControl, type FlowControlOptions } from '../../src/runtime/kafka/flow-control.ts';

function flow(o: Partial<FlowControlOptions> = {}): { flow: FlowControl; calls: string[] } {
  const calls: string[] = [];
  const f = new FlowControl({
    maxInFlight: 100,
    maxUncommitted: 1_000,
    maxTimersInFlight: 2,
    maxTimerBytesUnacked: 1_000,
    uncommitted: () => 0,
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
    ...o,
  });
  return { flow: f, calls };
}

test('timers fire while fewer than the handling window are being handled', () => {
  const { flow: f } = flow();
  assert.equal(f.mayFire(), true);
  f.timerDue();
  f.timerDue();
  assert.equal(f.mayFire(), false, 'two handled: the window is full');
  f.released(true); // one ended without sending (cancelled, aborted)
  assert.equal(f.mayFire(), true);
  assert.equal(f.working, 1);
});

test('a handled timer leaves the handling window for the unacknowledged-bytes window when its records are sent', () => {
  const { flow: f } = flow();
  f.timerDue();
  f.timerDue();
  assert.equal(f.mayFire(), false);
  f.timerSent(400);
  assert.equal(f.mayFire(), true, 'its handling slot is free while its records await their acknowledgement');
  assert.equal(f.working, 2, 'it is still work in progress: its records are not acknowledged');
  f.timerSent(700);
  assert.equal(f.mayFire(), false, '1,100 bytes unacknowledged: over the window');
  f.released(true, 700);
  assert.equal(f.mayFire(), true, '400 bytes left');
  f.released(true, 400);
  assert.equal(f.working, 0);
  f.timerDue();
  f.timerDue();
  assert.equal(f.mayFire(), false, 'the handling window is back to its size, not widened by the bytes released');
});

test('no timer fires past the in-flight limit of all work, nor once stopped', () => {
  const { flow: f, calls } = flow({ maxInFlight: 3 });
  f.received(3);
  assert.equal(f.mayFire(), false);
  f.maybePause();
  assert.deepEqual(calls, ['pause']);
  f.released(false);
  f.released(false);
  assert.deepEqual(calls, ['pause', 'resume'], 'resumed at half');
  assert.equal(f.mayFire(), true);
  f.stop();
  assert.equal(f.mayFire(), false);
});

test('timers dropped with their partition free their handling slots', () => {
  const { flow: f } = flow();
  f.timerDue();
  f.timerDue();
  f.received(1);
  f.dropped(1, 2);
  assert.equal(f.working, 0);
  assert.equal(f.mayFire(), true);
});
