// The stages' partition assignment: kafkajs' RoundRobinAssigner with each topic's partitions in id order. kafkajs
// deals them out in the order the broker's metadata lists them, which is not id order, so which copy got which
// partitions changed from group to group. In id order a copy gets every n-th partition, and with host-scans
// partitioned by address (src/topics.ts) every n-th address of a range: copies' shares differ by one host at most.
// Hashed and dealt unsorted, a /22 split 516/508 (then 513/511) between two copies, and the copy with more ran one
// more wave of HOST_SCAN_HOSTS hosts for its last few.
import kafkajs, { type PartitionAssigner } from 'kafkajs';

const { AssignerProtocol } = kafkajs;

export const INTERLEAVED = 'AsmvsInterleaved';

/** Topic-partitions in (topic, id) order dealt to members in id order: member i gets every n-th one from i. */
export function interleave(
  memberIds: readonly string[],
  partitions: Readonly<Record<string, readonly number[]>>,
): Map<string, Record<string, number[]>> {
  const members = [...memberIds].sort();
  const out = new Map<string, Record<string, number[]>>(members.map((m) => [m, {}]));
  let i = 0;
  for (const topic of Object.keys(partitions).sort())
    for (const p of [...(partitions[topic] ?? [])].sort((a, b) => a - b)) {
      const assignment = out.get(members[i++ % members.length] as string) as Record<string, number[]>;
      (assignment[topic] ??= []).push(p);
    }
  return out;
}

export const interleavedAssigner: PartitionAssigner = ({ cluster }) => ({
  name: INTERLEAVED,
  version: 0,
  async assign({ members, topics }) {
    const partitions = Object.fromEntries(
      topics.map((t) => [t, cluster.findTopicPartitionMetadata(t).map((m) => m.partitionId)]),
    );
    return [
      ...interleave(
        members.map((m) => m.memberId),
        partitions,
      ),
    ].map(([memberId, assignment]) => ({
      memberId,
      memberAssignment: AssignerProtocol.MemberAssignment.encode({ version: 0, assignment, userData: Buffer.alloc(0) }),
    }));
  },
  protocol({ topics }) {
    return {
      name: INTERLEAVED,
      metadata: AssignerProtocol.MemberMetadata.encode({ version: 0, topics, userData: Buffer.alloc(0) }),
    };
  },
});
