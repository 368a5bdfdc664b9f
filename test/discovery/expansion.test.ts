// A discovery request's expansion, decided before any traffic: literal targets merge into disjoint ranges (each
// address once), names come after; a range is walked in bounded chunks from a cursor, skipping addresses the
// policy refuses one by one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planExpansion, START, type ExpansionUnit } from '../../src/discovery/expansion-plan.ts';
import { expandRange } from '../../src/discovery/expand-range.ts';
import { narrowPolicy, operatorPolicy } from '../../src/scanners/scope/policy.ts';

const policy = (o: { allow?: string[]; deny?: string[]; maxAddresses?: number } = {}) =>
  operatorPolicy({
    allow: o.allow ?? [],
    deny: o.deny ?? [],
    allowMetadata: false,
    maxAddresses: o.maxAddresses ?? 65_536,
  });
const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c;

test('overlapping and touching literal targets merge; names follow, once each', () => {
  const units = planExpansion(
    ['198.18.0.0/25', 'b.example', '198.18.0.128/26', '198.18.0.5', 'B.example.', '198.18.1.0', '::1'],
    policy(),
  );
  assert.deepEqual(
    units.map((u) => (u.kind === 'range' ? `${u.family}:${u.first}-${u.last}` : u.name)),
    [`4:${0xc6120000n}-${0xc61200bfn}`, `4:${0xc6120100n}-${0xc6120100n}`, '6:1-1', 'b.example'],
  );
});

test('a literal target out of scope, too large or malformed refuses the whole request before any traffic', () => {
  assert.throws(() => planExpansion(['198.18.0.0/24', '169.254.169.254'], policy()), code('TARGET_OUT_OF_SCOPE'));
  assert.throws(() => planExpansion(['198.18.0.0/15'], policy({ maxAddresses: 65_536 })), code('TARGET_TOO_LARGE'));
  // The cap is the request's: two /24s under a cap of 300 are too many together, not each.
  assert.throws(
    () => planExpansion(['198.18.0.0/24', '198.18.2.0/24'], policy({ maxAddresses: 300 })),
    code('TARGET_TOO_LARGE'),
  );
  assert.throws(() => planExpansion(['198.18.0.0/24;id'], policy()), code('TARGET_INVALID'));
  assert.throws(
    () => planExpansion(['10.0.0.0/24'], policy({ allow: ['198.18.0.0/15'] })),
    code('TARGET_OUT_OF_SCOPE'),
  );
  assert.throws(() => planExpansion(['metadata.google.internal'], policy()), code('TARGET_OUT_OF_SCOPE'));
  assert.throws(() => planExpansion([], policy()), code('TARGET_INVALID'));
});

test("a request's own scope narrows the operator's", () => {
  const narrowed = narrowPolicy(policy(), { allow: ['198.18.0.0/24'], deny: [] });
  assert.throws(() => planExpansion(['198.18.1.0/24'], narrowed), code('TARGET_OUT_OF_SCOPE'));
  assert.equal(planExpansion(['198.18.0.0/28'], narrowed).length, 1);
});

test('a range expands in chunks from its cursor, every address once, denied ones skipped', () => {
  const p = policy({ deny: ['198.18.0.5/32', '198.18.0.200/29'] });
  const [unit] = planExpansion(['198.18.0.0/24'], p) as [Extract<ExpansionUnit, { kind: 'range' }>];
  const seen: string[] = [];
  let cursor = START;
  let chunks = 0;
  let skipped = 0;
  while (cursor.unit === 0) {
    const step = expandRange(unit, cursor, 100, p);
    assert.ok(step.addresses.length <= 100);
    seen.push(...step.addresses);
    skipped += step.skipped;
    cursor = step.cursor;
    chunks += 1;
  }
  assert.equal(chunks, 3);
  assert.equal(seen.length, 256 - 9);
  assert.equal(skipped, 9);
  assert.equal(new Set(seen).size, seen.length);
  assert.equal(seen[0], '198.18.0.0');
  assert.ok(!seen.includes('198.18.0.5') && !seen.includes('198.18.0.203'));
  assert.deepEqual(cursor, { unit: 1, offset: 0n });
});

test("a URL's host expands like an address or a name", () => {
  const units = planExpansion(['http://198.18.0.9:8080/x', 'https://svc.example/'], policy());
  assert.deepEqual(
    units.map((u) => (u.kind === 'range' ? `${u.first}-${u.last}` : u.name)),
    [`${0xc6120009n}-${0xc6120009n}`, 'svc.example'],
  );
});
