// The runner conformance scenarios on the local runner (in memory; the same list runs on Kafka in
// kafka-runner.integration.test.ts).
import { test } from 'node:test';
import { createLocalRunner } from '../../../src/runtime/local/local-runner.ts';
import { headersAsStrings } from '../../../src/runtime/dead-letter.ts';
import type { RawFinding } from '../../../src/schemas/types.gen.ts';
import { eventually } from '../../helpers/eventually.ts';
import { runtimeSettings, silent } from '../../helpers/runtime-settings.ts';
import { SCENARIOS, assertCounts, type RunResult, type ScenarioRun } from './scenarios.ts';

async function runLocally(run: ScenarioRun): Promise<RunResult> {
  const runner = createLocalRunner({
    stages: [{ processor: run.processor, deps: run.deps }],
    runtime: runtimeSettings(run.runtime),
    logger: silent,
  });
  try {
    for (const input of run.inputs) runner.publish('raw-findings', input.key, input.value, input.headers);
    // Timers due later are not work idle() waits for: wait for what the scenario ends with, then for the rest.
    await eventually(
      async () => ({ outputs: runner.collected('normalized-findings').length, deadLetters: runner.deadLetters.length }),
      (n) => n.outputs >= run.expect.outputs && n.deadLetters >= run.expect.deadLetters,
    );
    await runner.idle();
    return {
      outputs: runner.collected('normalized-findings').map((r) => ({ key: r.key, value: r.value, headers: r.headers })),
      deadLetters: runner.deadLetters.map((d) => ({
        key: d.key,
        value: d.value as RawFinding,
        headers: headersAsStrings(d.headers),
      })),
    };
  } finally {
    await runner.stop();
  }
}

for (const scenario of SCENARIOS) {
  test(`local runner: ${scenario.name}`, async () => {
    const run = scenario.setUp();
    const result = await runLocally(run);
    assertCounts(result, run);
    run.check(result);
  });
}
