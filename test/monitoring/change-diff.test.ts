import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffSnapshots, type Change } from '../../src/monitoring/change-diff.ts';
import type { AssetSnapshot, ServiceSnapshot } from '../../src/monitoring/asset-snapshot.ts';

const svc = (fields: Partial<ServiceSnapshot> = {}): ServiceSnapshot => ({
  service: null,
  product: null,
  version: null,
  cert: null,
  notAfter: null,
  ...fields,
});
const snap = (services: Record<string, ServiceSnapshot>, fields: Partial<AssetSnapshot> = {}): AssetSnapshot => ({
  value: '127.0.0.1',
  observedAt: 0,
  services,
  untracked: 0,
  level: 'INTERNAL',
  score: 10,
  expiring: [],
  monitorEveryMs: null,
  gone: false,
  ...fields,
});
const line = (c: Change) => `${c.kind} ${c.subject}: ${c.before ?? '∅'} → ${c.after ?? '∅'}`;
const diff = (a: AssetSnapshot | undefined, b: AssetSnapshot) => diffSnapshots(a, b).map(line);

const redis = svc({ service: 'redis', product: 'Redis', version: '7.2.4' });

test('first sighting: one ASSET_APPEARED with the summary', () => {
  assert.deepEqual(diff(undefined, snap({ '6379/tcp': redis, '53/udp': svc({ service: 'dns' }) })), [
    'ASSET_APPEARED 127.0.0.1: ∅ → INTERNAL score 10; 2 open: 53/udp dns, 6379/tcp redis Redis 7.2.4',
  ]);
  assert.deepEqual(diff(undefined, snap({})), ['ASSET_APPEARED 127.0.0.1: ∅ → INTERNAL score 10; nothing open']);
});

test('after ASSET_DISAPPEARED: ASSET_APPEARED again, before = what was last seen, no per-port changes', () => {
  assert.deepEqual(diff(snap({ '22/tcp': svc() }, { gone: true }), snap({ '6379/tcp': redis }, { level: 'PUBLIC' })), [
    'ASSET_APPEARED 127.0.0.1: INTERNAL score 10; 1 open: 22/tcp open → PUBLIC score 10; 1 open: 6379/tcp redis Redis 7.2.4',
  ]);
});

test('ports opened and closed, by port then protocol; IPv6 subjects in brackets', () => {
  const before = snap({ '22/tcp': svc(), '6379/tcp': redis }, { value: '::1' });
  const after = snap({ '53/udp': svc(), '22/tcp': svc(), '53/tcp': svc({ service: 'dns' }) }, { value: '::1' });
  assert.deepEqual(diff(before, after), [
    'PORT_OPENED [::1]:53/tcp: ∅ → dns',
    'PORT_OPENED [::1]:53/udp: ∅ → open',
    'PORT_CLOSED [::1]:6379/tcp: redis Redis 7.2.4 → ∅',
  ]);
});

test('service, product or version changed: one SERVICE_CHANGED per service', () => {
  assert.deepEqual(diff(snap({ '6379/tcp': redis }), snap({ '6379/tcp': { ...redis, version: null } })), [
    'SERVICE_CHANGED 127.0.0.1:6379/tcp: redis Redis 7.2.4 → redis Redis',
  ]);
  assert.deepEqual(diff(snap({ '80/tcp': svc() }), snap({ '80/tcp': svc({ service: 'http' }) })), [
    'SERVICE_CHANGED 127.0.0.1:80/tcp: open → http',
  ]);
});

test('certificate added, replaced or removed: CERTIFICATE_CHANGED; the same certificate is no change', () => {
  const a = svc({ cert: 'aa', notAfter: Date.UTC(2027, 0, 1) });
  const b = svc({ cert: 'bb', notAfter: null });
  assert.deepEqual(diff(snap({ '443/tcp': svc() }), snap({ '443/tcp': a })), [
    'CERTIFICATE_CHANGED 127.0.0.1:443/tcp: ∅ → sha256:aa notAfter 2027-01-01T00:00:00.000Z',
  ]);
  assert.deepEqual(diff(snap({ '443/tcp': a }), snap({ '443/tcp': b })), [
    'CERTIFICATE_CHANGED 127.0.0.1:443/tcp: sha256:aa notAfter 2027-01-01T00:00:00.000Z → sha256:bb',
  ]);
  assert.deepEqual(diff(snap({ '443/tcp': b }), snap({ '443/tcp': svc() })), [
    'CERTIFICATE_CHANGED 127.0.0.1:443/tcp: sha256:bb → ∅',
  ]);
  assert.deepEqual(diff(snap({ '443/tcp': a }), snap({ '443/tcp': a }, { observedAt: 5 })), []);
});

test('exposure: a level change is reported; a score change alone is not', () => {
  assert.deepEqual(diff(snap({}), snap({}, { level: 'PUBLIC', score: 40 })), [
    'EXPOSURE_CHANGED 127.0.0.1: INTERNAL score 10 → PUBLIC score 40',
  ]);
  assert.deepEqual(diff(snap({}), snap({}, { score: 35 })), []);
});

test('a port one side had to leave untracked is neither opened nor closed', () => {
  const capped = snap({ '22/tcp': svc(), '80/tcp': svc() }, { untracked: 5 });
  const full = snap({ '22/tcp': svc(), '80/tcp': svc(), '443/tcp': svc(), '8080/tcp': svc() });
  assert.deepEqual(diff(full, capped), []);
  assert.deepEqual(diff(capped, full), []);
  assert.deepEqual(diff(capped, snap({ '22/tcp': svc() })), ['PORT_CLOSED 127.0.0.1:80/tcp: open → ∅']);
  assert.deepEqual(diff(capped, snap({ '22/tcp': svc(), '23/tcp': svc(), '80/tcp': svc() }, { untracked: 4 })), [
    'PORT_OPENED 127.0.0.1:23/tcp: ∅ → open',
  ]);
});
