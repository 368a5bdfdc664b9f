// Submits a request: the request event into its topic (acks=all), then an ACCEPTED job-status, so that whoever
// follows the request sees it was taken into the log before any stage picked it up.
import type { Config } from '../config/config.ts';
import { requestAccepted } from '../processors/job-events.ts';
import { publishEvent } from '../runtime/kafka/publish.ts';
import type { TopicValues } from '../schemas/types.gen.ts';

export async function submitRequest<T extends 'discovery-requests' | 'scan-requests'>(
  config: Config,
  topic: T,
  key: string,
  request: TopicValues[T],
): Promise<void> {
  await publishEvent(config, topic, key, request);
  const { requestId } = request;
  await publishEvent(config, 'job-status', requestId, requestAccepted(requestId, `request in ${topic}`, Date.now()));
}
