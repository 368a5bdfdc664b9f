import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ATTACK_SURFACE_PORTS, profilePorts } from '../../src/engines/profiles.ts';
import { parsePorts } from '../../src/scanners/scope/ports.ts';
import { AsmvsError } from '../../src/errors.ts';

test("a profile's ports are its top list, then the attack-surface ports it lacks, without duplicates", () => {
  const ports = profilePorts('fast');
  assert.deepEqual(ports.slice(0, 100), parsePorts('top-100'));
  assert.equal(new Set(ports).size, ports.length);
  for (const p of ATTACK_SURFACE_PORTS) assert.ok(ports.includes(p), `fast lacks ${p}`);
  assert.equal(profilePorts('full').length, 65_535);
});

test('a profile is expanded once: every host of a range gets the same frozen list', () => {
  const first = profilePorts('full');
  assert.equal(profilePorts('full'), first);
  assert.ok(Object.isFrozen(first));
  assert.throws(
    () => profilePorts('fastest'),
    (e: unknown) => e instanceof AsmvsError && e.code === 'USAGE' && /known: fast, default, full/.test(e.message),
  );
});
