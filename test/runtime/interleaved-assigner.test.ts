// The stages' assignor deals partitions in id order, whatever order the broker's metadata lists them in, so that with
// host-scans partitioned by address a range's hosts split between copies to within one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import kafkajs from 'kafkajs';
import type { Cluster } from 'kafkajs';
import { interleave, interleavedAssigner, INTERLEAVED } from '../../src/runtime/kafka/interleaved-assigner.ts';
import { addressPartition } from '../../src/runtime/kafka/partitioner.ts';

const SHUFFLED = [7, 2, 11, 0, 5, 9, 1, 4, 10, 3, 8, 6];

test('partitions are dealt in id order to members in id order, across topics', () => {
  const out = interleave(['m-b', 'm-a'], { t: SHUFFLED });
  assert.deepEqual(out.get('m-a'), { t: [0, 2, 4, 6, 8, 10] });
  assert.deepEqual(out.get('m-b'), { t: [1, 3, 5, 7, 9, 11] });
  const three = interleave(['x', 'y', 'z'], { b: [1, 0], a: [2, 0, 1] });
  assert.deepEqual(
    [...three],
    [
      ['x', { a: [0], b: [0] }],
      ['y', { a: [1], b: [1] }],
      ['z', { a: [2] }],
    ],
  );
  assert.deepEqual(interleave(['only'], { t: [] }).get('only'), {});
});

test('a /22 partitioned by address splits 512/512 between two copies, from any range start', () => {
  for (const start of [0, 1, 5, 11, 198 * 2 ** 24 + 18 * 2 ** 16]) {
    const owner = new Map<number, string>();
    for (const [member, a] of interleave(['one', 'two'], { 'host-scans': SHUFFLED }))
      for (const p of a['host-scans'] ?? []) owner.set(p, member);
    const share = new Map<string, number>();
    for (let i = 0; i < 1024; i++) {
      const v = start + i;
      const key = [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
      const m = owner.get(addressPartition(key, 12) as number) as string;
      share.set(m, (share.get(m) ?? 0) + 1);
    }
    assert.deepEqual([...share.values()], [512, 512], `from ${start}`);
  }
});

test('the kafkajs assigner encodes that assignment for every member', async () => {
  const cluster = {
    findTopicPartitionMetadata: () => SHUFFLED.map((partitionId) => ({ partitionId })),
  } as unknown as Cluster;
  const assigner = interleavedAssigner({ cluster, groupId: 'g', logger: undefined as never });
  assert.equal(assigner.name, INTERLEAVED);
  const assigned = await assigner.assign({
    members: [{ memberId: 'b' }, { memberId: 'a' }] as never,
    topics: ['t'],
  });
  const decoded = Object.fromEntries(
    assigned.map((a) => [a.memberId, kafkajs.AssignerProtocol.MemberAssignment.decode(a.memberAssignment)?.assignment]),
  );
  assert.deepEqual(decoded, { a: { t: [0, 2, 4, 6, 8, 10] }, b: { t: [1, 3, 5, 7, 9, 11] } });
});
