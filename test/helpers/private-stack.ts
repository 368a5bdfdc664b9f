// A stack of one's own: infra/stack.sh on free loopback ports with its own state directory, for tests that stop
// and start Kafka and the registry. The shared stack (default ports, .stack/) is never touched.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const stackScript = new URL('../../infra/stack.sh', import.meta.url).pathname;

export interface PrivateStack {
  readonly brokers: string;
  readonly registryUrl: string;
  readonly stateDir: string;
  /** `infra/stack.sh <command>` against this stack; resolves with its output, rejects with it on failure. */
  stack(command: 'up' | 'down' | 'reset' | 'status'): Promise<string>;
  /** Stops what is running and deletes the state directory. */
  dispose(): Promise<void>;
}

export async function privateStack(label: string): Promise<PrivateStack> {
  const [kafkaPort, controllerPort, registryPort, managementPort] = await freePorts(4);
  const stateDir = await mkdtemp(join(tmpdir(), `asmvs-${label}-`));
  const env = {
    ...process.env,
    STACK_KAFKA_PORT: String(kafkaPort),
    STACK_CONTROLLER_PORT: String(controllerPort),
    STACK_REGISTRY_PORT: String(registryPort),
    STACK_REGISTRY_MGMT_PORT: String(managementPort),
    ASMVS_STACK_DIR: stateDir,
  };
  const stack = async (command: string) => {
    try {
      const { stdout } = await run('bash', [stackScript, command], { env, maxBuffer: 1 << 20 });
      return stdout;
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      throw new Error(`infra/stack.sh ${command} failed:\n${stdout}${stderr}`, { cause: error });
    }
  };
  return {
    brokers: `127.0.0.1:${kafkaPort}`,
    registryUrl: `http://127.0.0.1:${registryPort}/apis/ccompat/v7`,
    stateDir,
    stack,
    async dispose() {
      await stack('down').catch(() => undefined);
      await rm(stateDir, { recursive: true, force: true });
    },
  };
}

// Ports held open together so that the four differ, then released for the stack to bind; another process could
// take one meanwhile, and stack.sh then stops with a message naming the port.
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', resolve);
      });
      servers.push(server);
    }
    return servers.map((s) => (s.address() as { port: number }).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  }
}
