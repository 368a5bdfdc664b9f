// Consumer-group administration for replays: who is in a group, where it stands, and moving it to a point in the
// log. Kafka refuses to move the offsets of a group with live members, and so do we, with a clear message.
import type { Admin } from 'kafkajs';
import { AsmvsError } from '../../errors.ts';
import { withSession, type KafkaSource } from './session.ts';

export interface PartitionRange {
  readonly partition: number;
  readonly start: bigint;
  readonly end: bigint;
}

function withAdmin<T>(source: KafkaSource, fn: (admin: Admin) => Promise<T>): Promise<T> {
  return withSession(source, 'admin', async (session) => fn(await session.admin()));
}

/** Moves the group to `from` (earliest, or the first offset at/after a time) and returns each partition's range to the current end. */
export function rewindGroup(
  source: KafkaSource,
  topic: string,
  groupId: string,
  from: 'earliest' | Date,
): Promise<PartitionRange[]> {
  return withAdmin(source, async (admin) => {
    const described = await admin.describeGroups([groupId]);
    const members = described.groups[0]?.members.length ?? 0;
    if (members > 0) {
      throw new AsmvsError(
        'USAGE',
        `group ${groupId} has ${members} live member(s); stop them (or pass another --group) before replaying`,
      );
    }
    const ends = await admin.fetchTopicOffsets(topic);
    const starts =
      from === 'earliest'
        ? ends.map((p) => ({ partition: p.partition, offset: p.low }))
        : await admin.fetchTopicOffsetsByTimestamp(topic, from.getTime());
    const startOf = new Map(starts.map((s) => [s.partition, s.offset]));
    const ranges = ends.map((p) => {
      // -1 from the by-time lookup means "no record at or after that time": nothing to replay there.
      const raw = startOf.get(p.partition) ?? p.high;
      const start = BigInt(raw === '-1' ? p.high : raw);
      return { partition: p.partition, start, end: BigInt(p.high) };
    });
    await admin.setOffsets({
      groupId,
      topic,
      partitions: ranges.map((r) => ({ partition: r.partition, offset: String(r.start) })),
    });
    return ranges;
  });
}

/** The group's committed offset per partition (-1 when it has none). */
export function committedOffsets(source: KafkaSource, topic: string, groupId: string): Promise<Map<number, bigint>> {
  return withAdmin(source, async (admin) => {
    const offsets = await admin.fetchOffsets({ groupId, topics: [topic] });
    return new Map((offsets[0]?.partitions ?? []).map((p) => [p.partition, BigInt(p.offset)]));
  });
}
