// A private single-node Kafka broker (KRaft) for fault tests that kill the broker: on its own free ports, with its own
// data directory, never the shared stack's. restart() starts it again on the same data directory (topics, offsets
// and producer state kept), as a broker restarts after a crash. Needs the jars `infra/stack.sh fetch` puts in
// infra/target/kafka-libs (KAFKA_LIBS overrides) and java on PATH.
import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';
import { freePort } from './free-port.ts';
import { startWatched, type WatchedProcess } from './watched-process.ts';

const INFRA = fileURLToPath(new URL('../../infra/', import.meta.url));
const run = promisify(execFile);

export interface OwnBroker {
  /** host:port for KAFKA_BROKERS. */
  readonly brokers: string;
  /** Kills the broker process with SIGKILL and waits until it is gone. */
  kill(): Promise<void>;
  /** Starts it again on the same data directory; resolves when it answers. */
  restart(): Promise<void>;
  /** Kills it and removes its data directory (nothing in it is kept, so it need not shut down cleanly). */
  close(): Promise<void>;
}

async function kafkaLibs(): Promise<string> {
  const libs = process.env['KAFKA_LIBS'] || join(INFRA, 'target', 'kafka-libs');
  if (!existsSync(libs)) await run('bash', [join(INFRA, 'stack.sh'), 'fetch'], { timeout: 600_000 });
  return libs;
}

async function answers(brokers: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const admin = new kafkajs.Kafka({
      brokers: [brokers],
      logLevel: kafkajs.logLevel.NOTHING,
      retry: { retries: 0 },
    }).admin();
    try {
      await admin.connect();
      await admin.listTopics();
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`the private broker did not answer within ${timeoutMs} ms`, { cause: error });
      await new Promise((r) => setTimeout(r, 250));
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }
}

export async function startOwnBroker(): Promise<OwnBroker> {
  const libs = await kafkaLibs();
  const dir = await mkdtemp(join(tmpdir(), 'asmvs-own-broker-'));
  const [port, controller] = [await freePort(), await freePort()];
  const properties = join(dir, 'server.properties');
  const template = await readFile(join(INFRA, 'server.properties.template'), 'utf8');
  await writeFile(
    properties,
    template
      .replaceAll('@DATA_DIR@', join(dir, 'data'))
      .replaceAll('@KAFKA_PORT@', String(port))
      .replaceAll('@CONTROLLER_PORT@', String(controller)),
  );
  const clusterId = randomBytes(16).toString('base64url');
  const classpath = `${libs}/*`;
  const log4j = (name: string) => `-Dlog4j2.configurationFile=${join(INFRA, name)}`;
  await run('java', [
    '-Xmx256m',
    log4j('log4j2-tools.properties'),
    '-cp',
    classpath,
    'kafka.tools.StorageTool',
    'format',
    '-t',
    clusterId,
    '-c',
    properties,
  ]);
  const command = [
    'java',
    '-Xms256m',
    '-Xmx384m',
    '-XX:+UseG1GC',
    '-XX:TieredStopAtLevel=1',
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.net.preferIPv4Stack=true',
    log4j('log4j2-broker.properties'),
    '-cp',
    classpath,
    'kafka.Kafka',
    properties,
  ];
  const brokers = `127.0.0.1:${port}`;
  let process_: WatchedProcess = await startWatched(command, join(dir, 'kafka.log'));
  await answers(brokers, 90_000);
  return {
    brokers,
    async kill() {
      process_.signal('SIGKILL');
      await process_.exited;
    },
    async restart() {
      process_ = await startWatched(command, join(dir, 'kafka.log'));
      await answers(brokers, 90_000);
    },
    async close() {
      process_.signal('SIGKILL');
      await process_.exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
