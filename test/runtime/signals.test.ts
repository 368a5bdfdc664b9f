import { test } from 'node:test';
import assert from 'node:assert/strict';
import { installSignalHandlers } from '../../src/runtime/signals.ts';
import { silent } from '../helpers/runtime-settings.ts';

// The signal the tests emit: one nothing else in a test process listens to. Node's test runner turns
// process.report.reportOnSignal on in its test processes, so an emitted SIGUSR2 would also write a diagnostic report
// (report.*.json) into the working directory.
const SIGNAL = 'SIGHUP';

test('SIGTERM stops the target, then exits 0; a second signal exits 1 at once', async () => {
  const exits: number[] = [];
  let release: () => void = () => undefined;
  let stops = 0;
  const target = { stop: () => ((stops += 1), new Promise<void>((r) => (release = r))) };
  const uninstall = installSignalHandlers(target, {
    log: silent,
    deadlineMs: 1_000,
    exit: (c) => void exits.push(c),
    signals: [SIGNAL],
  });
  try {
    process.emit(SIGNAL, SIGNAL);
    assert.equal(stops, 1);
    assert.deepEqual(exits, []);
    process.emit(SIGNAL, SIGNAL);
    assert.deepEqual(exits, [1]);
    release();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(exits, [1, 0]);
  } finally {
    uninstall();
  }
});

test('a failing stop exits 1', async () => {
  const exits: number[] = [];
  const uninstall = installSignalHandlers(
    { stop: () => Promise.reject(new Error('x')) },
    { log: silent, deadlineMs: 1_000, exit: (c) => void exits.push(c), signals: [SIGNAL] },
  );
  try {
    process.emit(SIGNAL, SIGNAL);
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(exits, [1]);
  } finally {
    uninstall();
  }
});
