// The runner conformance suite: one list of scenarios that every runner must pass alike — the local runner in the
// unit suite (local-runner.test.ts), the Kafka runner on the real stack (kafka-runner.integration.test.ts). Each
// scenario is a stage (raw-findings → normalized-findings), its inputs, how many outputs and dead letters it ends
// with, and a check of what came out. A runner adapter runs it and hands back the outputs and dead letters decoded.
import assert from 'node:assert/strict';
import { AsmvsError } from '../../../src/errors.ts';
import type { AnyProcessor, Processor } from '../../../src/processor.ts';
import type { RuntimeSettings } from '../../../src/runtime/options.ts';
import type { Finding, RawFinding } from '../../../src/schemas/types.gen.ts';
import { echoProcessor, type EchoDeps } from '../../helpers/fixtures/echo-processor.ts';
import { findingOf, rawFinding } from '../../helpers/fixtures/events.ts';

export interface ScenarioInput {
  readonly key: string | null;
  readonly value: RawFinding;
  readonly headers?: Record<string, string>;
}

export interface RunResult {
  /** In the order a reader sees them (per key: the order they were produced in). */
  readonly outputs: readonly { key: string; value: Finding; headers: Readonly<Record<string, string>> }[];
  readonly deadLetters: readonly {
    key: string | null;
    value: RawFinding;
    headers: Readonly<Record<string, string>>;
  }[];
}

export interface ScenarioRun {
  readonly processor: AnyProcessor;
  readonly deps?: unknown;
  readonly runtime?: Partial<RuntimeSettings>;
  readonly inputs: readonly ScenarioInput[];
  /** What the run ends with: the adapter waits for these counts (and for every input to be finished). */
  readonly expect: { readonly outputs: number; readonly deadLetters: number };
  check(result: RunResult): void;
}

export interface Scenario {
  readonly name: string;
  /** A fresh stage and inputs for one run (processors hold what they observed). */
  setUp(): ScenarioRun;
}

/** The run ended with exactly the outputs and dead letters the scenario expects. */
export function assertCounts(result: RunResult, run: ScenarioRun): void {
  const counts = { outputs: result.outputs.length, deadLetters: result.deadLetters.length };
  assert.deepEqual(counts, run.expect);
}

/** Retries fast: the scenarios are about what happens, not when. */
const FAST_RETRY = { maxAttempts: 3, baseMs: 5, maxMs: 20 };

const echo = (deps: EchoDeps) => ({ processor: echoProcessor() as unknown as AnyProcessor, deps });

function sequencesByKey(result: RunResult): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  for (const o of result.outputs) byKey.set(o.key, [...(byKey.get(o.key) ?? []), o.value.occurrences]);
  return byKey;
}

const header = (r: { headers: Readonly<Record<string, string>> }, name: string) => r.headers[name];

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'events of one key are handled in order while keys run in parallel',
    setUp() {
      const keys = 12;
      const perKey = 15;
      const inputs: ScenarioInput[] = [];
      for (let seq = 0; seq < perKey; seq += 1)
        for (let k = 0; k < keys; k += 1) inputs.push({ key: `k${k}`, value: rawFinding(`k${k}`, seq) });
      const handled = new Map<string, number[]>();
      return {
        // A short, uneven delay per event: later events of a key would overtake earlier ones if order did not hold.
        ...echo({
          delayMs: 3,
          onAttempt: (raw) => handled.set(raw.assetId ?? '', [...(handled.get(raw.assetId ?? '') ?? []), raw.part]),
        }),
        runtime: { concurrency: 8 },
        inputs,
        expect: { outputs: keys * perKey, deadLetters: 0 },
        check(result) {
          const expected = [...Array(perKey).keys()];
          for (const [key, seqs] of handled) assert.deepEqual(seqs, expected, `handled order of ${key}`);
          assert.equal(sequencesByKey(result).size, keys);
          for (const [key, seqs] of sequencesByKey(result)) assert.deepEqual(seqs, expected, `output order of ${key}`);
        },
      };
    },
  },
  {
    name: 'a retryable failure is retried with its attempt number, then handled once',
    setUp() {
      const attempts: number[] = [];
      return {
        ...echo({
          failures: new Map([['k#1', 2]]),
          onAttempt: (raw, attempt) => void (raw.eventId === 'k#1' && attempts.push(attempt)),
        }),
        runtime: { retry: FAST_RETRY },
        inputs: [0, 1, 2].map((seq) => ({ key: 'k', value: rawFinding('k', seq) })),
        expect: { outputs: 3, deadLetters: 0 },
        check(result) {
          assert.deepEqual(attempts, [1, 2, 3]);
          assert.deepEqual(sequencesByKey(result).get('k'), [0, 1, 2], 'the key waited for its retried event');
        },
      };
    },
  },
  {
    name: 'exhausted retries and non-retryable failures are dead-lettered with their bytes and headers',
    setUp() {
      return {
        ...echo({ failures: new Map([['k#0', 99]]), emitInvalid: new Set(['k#1']) }),
        runtime: { retry: FAST_RETRY },
        inputs: [0, 1, 2, 3].map((seq) => ({
          key: 'k',
          value: rawFinding('k', seq),
          headers: { 'x-origin': 'conformance' },
        })),
        expect: { outputs: 2, deadLetters: 2 },
        check(result) {
          assert.deepEqual(sequencesByKey(result).get('k'), [2, 3], 'the events after them were handled');
          const [exhausted, invalid] = result.deadLetters;
          assert.equal(exhausted?.value.eventId, 'k#0', 'the original event');
          assert.equal(exhausted?.key, 'k');
          assert.equal(header(exhausted!, 'asmvs-error-code'), 'SCANNER_FAILED');
          assert.equal(header(exhausted!, 'asmvs-attempts'), '3');
          assert.equal(header(exhausted!, 'asmvs-stage'), 'test_echo');
          assert.match(header(exhausted!, 'asmvs-source-topic') ?? '', /raw-findings$/);
          assert.match(header(exhausted!, 'asmvs-source-offset') ?? '', /^\d+$/);
          assert.ok(!Number.isNaN(Date.parse(header(exhausted!, 'asmvs-dead-lettered-at') ?? '')));
          assert.equal(header(exhausted!, 'x-origin'), 'conformance', 'the original headers are kept');
          assert.equal(invalid?.value.eventId, 'k#1');
          assert.equal(header(invalid!, 'asmvs-error-code'), 'ENCODE_INVALID');
          assert.equal(header(invalid!, 'asmvs-attempts'), '1', 'not retried');
        },
      };
    },
  },
  {
    name: 'unavailable infrastructure is waited for without spending retries: handled once it is back, never dead-lettered',
    setUp() {
      const attempts: number[] = [];
      return {
        // Twice the retry budget of failures that say "PostgreSQL did not answer".
        ...echo({
          failures: new Map([['k#0', 6]]),
          failCode: 'DATABASE_UNAVAILABLE',
          onAttempt: (raw, attempt) => void (raw.eventId === 'k#0' && attempts.push(attempt)),
        }),
        runtime: { retry: FAST_RETRY, outageRetryMaxMs: 20 },
        inputs: [0, 1].map((seq) => ({ key: 'k', value: rawFinding('k', seq) })),
        expect: { outputs: 2, deadLetters: 0 },
        check(result) {
          assert.deepEqual(attempts, [1, 1, 1, 1, 1, 1, 1], 'each try after a wait is the same attempt');
          assert.deepEqual(sequencesByKey(result).get('k'), [0, 1]);
        },
      };
    },
  },
  {
    name: "onDeadLetter's outputs leave with the dead letter",
    setUp() {
      const processor: Processor<'raw-findings', 'normalized-findings', undefined> = {
        name: 'test_hooked',
        input: 'raw-findings',
        outputs: ['normalized-findings'],
        async handle(raw) {
          throw new AsmvsError('TARGET_INVALID', `${raw.eventId} is not a target`);
        },
        onDeadLetter(raw, error, ctx) {
          if (!raw) return;
          const finding = findingOf(raw, { topic: ctx.meta.topic, partition: ctx.meta.partition, offset: 0 });
          ctx.emit('normalized-findings', raw.assetId ?? '', { ...finding, fingerprint: `dead:${error.code}` });
        },
      };
      return {
        processor: processor as unknown as AnyProcessor,
        inputs: [{ key: 'a', value: rawFinding('a', 0) }],
        expect: { outputs: 1, deadLetters: 1 },
        check(result) {
          assert.equal(result.deadLetters[0]?.value.eventId, 'a#0');
          assert.equal(header(result.deadLetters[0]!, 'asmvs-error-code'), 'TARGET_INVALID');
          assert.equal(result.outputs[0]?.key, 'a');
          assert.equal(result.outputs[0]?.value.fingerprint, 'dead:TARGET_INVALID');
        },
      };
    },
  },
  {
    name: 'due timers fire in order per key with meta.timer set; a timer that fails for good is dead-lettered',
    setUp() {
      const processor: Processor<'raw-findings', 'normalized-findings', undefined> = {
        name: 'test_timers',
        input: 'raw-findings',
        outputs: ['normalized-findings'],
        keyed: true,
        async handle(raw, ctx) {
          const { timer } = ctx.meta;
          if (timer === undefined) {
            const now = Date.now();
            // Scheduled in the reverse of their due order: they fire by due time.
            ctx.keyed.schedule('second', now + 150, { ...raw, part: 2 });
            ctx.keyed.schedule('first', now + 50, { ...raw, part: 1 });
            return;
          }
          if (timer.id === 'second' && ctx.meta.key === 'fails')
            throw new AsmvsError('TARGET_INVALID', 'the second timer of this key fails');
          assert.ok(timer.at <= Date.now(), 'not before it is due');
          const finding = findingOf(raw, { topic: ctx.meta.topic, partition: ctx.meta.partition, offset: 0 });
          ctx.emit('normalized-findings', ctx.meta.key ?? '', {
            ...finding,
            fingerprint: `${raw.eventId}/${timer.id}`,
          });
        },
      };
      return {
        processor: processor as unknown as AnyProcessor,
        inputs: [
          { key: 'fires', value: rawFinding('fires', 0) },
          { key: 'fails', value: rawFinding('fails', 0) },
        ],
        expect: { outputs: 3, deadLetters: 1 },
        check(result) {
          assert.deepEqual(sequencesByKey(result).get('fires'), [1, 2]);
          assert.deepEqual(sequencesByKey(result).get('fails'), [1]);
          const [dead] = result.deadLetters;
          assert.equal(dead?.key, 'fails');
          assert.equal(dead?.value.part, 2, "the timer's value");
          assert.equal(header(dead!, 'asmvs-timer-id'), 'second');
          assert.match(header(dead!, 'asmvs-timer-at') ?? '', /^\d+$/);
          assert.equal(header(dead!, 'asmvs-source-offset'), '-1');
          assert.match(header(dead!, 'asmvs-source-topic') ?? '', /keyed-state$/);
        },
      };
    },
  },
  {
    name: 'a keyless event in a keyed stage is handled, or dead-lettered with the reason when it needs keyed state',
    setUp() {
      const processor: Processor<'raw-findings', 'normalized-findings', undefined> = {
        name: 'test_keyed',
        input: 'raw-findings',
        outputs: ['normalized-findings'],
        keyed: true,
        async handle(raw, ctx) {
          if (raw.part === 1) ctx.keyed.setState({ seen: raw.eventId });
          const finding = findingOf(raw, { topic: ctx.meta.topic, partition: ctx.meta.partition, offset: 0 });
          ctx.emit('normalized-findings', raw.eventId, finding);
        },
      };
      return {
        processor: processor as unknown as AnyProcessor,
        inputs: [
          { key: null, value: rawFinding('none', 0) },
          { key: null, value: rawFinding('none', 1) },
          { key: 'k', value: rawFinding('k', 1) },
        ],
        expect: { outputs: 2, deadLetters: 1 },
        check(result) {
          assert.deepEqual(result.outputs.map((o) => o.value.fingerprint).sort(), ['k#1', 'none#0']);
          const [dead] = result.deadLetters;
          assert.equal(dead?.key, null);
          assert.equal(dead?.value.eventId, 'none#1');
          assert.equal(header(dead!, 'asmvs-error-code'), 'KEYED_STATE_INVALID');
          assert.match(header(dead!, 'asmvs-error-message') ?? '', /has no key/);
        },
      };
    },
  },
];
