// Reading asset-changes for `asmvs changes`: with --since, from the offsets of records produced since a little before
// that time rather than the whole topic; without it, from the start. changeMatches (changes-filter.ts) still decides
// what is shown: a record's Kafka timestamp is when it was produced, not when its change was observed.
import { topicOffsetsAt, type PartitionOffsets } from '../runtime/kafka/read-topic.ts';
import type { KafkaSource } from '../runtime/kafka/session.ts';
import { readStartTime } from './changes-filter.ts';

/** Where a read of asset-changes for changes observed at or after `since` (ms, or all when undefined) starts. */
export function changesFrom(kafka: KafkaSource, since: number | undefined): Promise<'earliest' | PartitionOffsets> {
  if (since === undefined) return Promise.resolve('earliest');
  return topicOffsetsAt(kafka, 'asset-changes', readStartTime(since));
}
