// execute() never runs the handler inside its own call, even when the codec decodes at once: the mailboxes start
// items one after another, and a handler run inline would run inside the start of the next one's (a backlog's
// handlers nested in one turn, which the turn budget then throttles to one start per turn).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execute } from '../../src/runtime/execute.ts';
import { echoProcessor } from '../helpers/fixtures/echo-processor.ts';
import { rawFinding } from '../helpers/fixtures/events.ts';
import type { AnyProcessor } from '../../src/processor.ts';
import { runtimeSettings, silent } from '../helpers/runtime-settings.ts';

test('a synchronous decode still leaves the handler for a later microtask', async () => {
  let handled = 0;
  const processor = echoProcessor() as unknown as AnyProcessor;
  const outcome = execute(
    {
      processor,
      deps: { onAttempt: () => (handled += 1) },
      decode: () => rawFinding('a1', 0), // the value itself, as the codec answers once it knows the schema
      encode: (_topic, value) => value,
      retry: runtimeSettings().retry,
      log: silent,
    },
    {
      meta: { topic: 'raw-findings', partition: 0, offset: '0', key: 'a1', headers: {}, timestamp: 0, attempt: 1 },
      bytes: Buffer.alloc(0),
      signal: new AbortController().signal,
      keyed: undefined,
    },
  );
  assert.equal(handled, 0, 'not handled inside the call');
  assert.equal((await outcome).kind, 'done');
  assert.equal(handled, 1);
});
