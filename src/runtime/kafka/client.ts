// Builds the kafkajs client from the validated Kafka settings. kafkajs is imported only under src/runtime.
import kafkajs from 'kafkajs';
import type { KafkaConfig } from '../../config/config.ts';

export type Kafka = InstanceType<typeof kafkajs.Kafka>;

export function createKafka(config: KafkaConfig, clientSuffix: string): Kafka {
  return new kafkajs.Kafka({
    clientId: `${config.clientId}-${clientSuffix}`,
    brokers: [...config.brokers],
    ssl: config.ssl,
    ...(config.sasl
      ? {
          sasl: {
            mechanism: config.sasl.mechanism,
            username: config.sasl.username,
            password: config.sasl.password,
          } as never,
        }
      : {}),
    // kafkajs logs through its own logger; the runner reports what matters through pino.
    logLevel: kafkajs.logLevel.NOTHING,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { retries: 5, initialRetryTime: 100, maxRetryTime: 5_000 },
  });
}
