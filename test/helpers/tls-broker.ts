// A Kafka broker of the test's own (never the shared stack), on loopback ports of its own, with a mutual-TLS
// listener and a SASL_SSL listener taking OAUTHBEARER, and the certificates for it made here with openssl: a CA, the
// broker's certificate (127.0.0.1, localhost) and a client certificate whose key is encrypted. Kafka's default
// OAUTHBEARER validator accepts unsigned JWTs ("alg":"none") with sub and exp, which unsignedJwt() makes.
// The Kafka jars are those `npm run stack:up` fetched (infra/target/kafka-libs, or KAFKA_LIBS).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from './free-port.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const KEY_PASSWORD = 'client-key-secret';

export interface TlsBroker {
  readonly dir: string;
  /** mutual TLS: a client certificate signed by the CA is required. */
  readonly mtls: string;
  /** SASL_SSL with OAUTHBEARER (server certificate only). */
  readonly oauth: string;
  readonly files: { ca: string; clientCert: string; clientKey: string; otherCa: string };
  stop(): Promise<void>;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
}

function makeCertificates(dir: string): TlsBroker['files'] {
  const ca = (name: string) => {
    openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`]);
    openssl(dir, [
      'req',
      '-x509',
      '-new',
      '-key',
      `${name}.key`,
      '-subj',
      `/CN=${name}`,
      '-days',
      '2',
      '-out',
      `${name}.pem`,
    ]);
  };
  ca('test-ca');
  ca('other-ca');
  const signed = (name: string, ext: string) => {
    openssl(dir, ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', `${name}.key`]);
    openssl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', `/CN=${name}`, '-out', `${name}.csr`]);
    writeFileSync(join(dir, `${name}.ext`), ext);
    openssl(dir, [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'test-ca.pem',
      '-CAkey',
      'test-ca.key',
      '-CAcreateserial',
      '-days',
      '2',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    ]);
  };
  signed('broker', 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n');
  signed('asmvs-client', 'extendedKeyUsage=clientAuth\n');
  // Kafka's PEM key store: the private key (PKCS#8) followed by the certificate chain.
  writeFileSync(
    join(dir, 'broker-keystore.pem'),
    readFileSync(join(dir, 'broker.key')) + readFileSync(join(dir, 'broker.pem')).toString(),
  );
  // The client key encrypted, as operators often receive it: KAFKA_SSL_KEY_PASSWORD unlocks it.
  openssl(dir, [
    'pkcs8',
    '-topk8',
    '-in',
    'asmvs-client.key',
    '-v2',
    'aes-256-cbc',
    '-passout',
    `pass:${KEY_PASSWORD}`,
    '-out',
    'asmvs-client.enc.key',
  ]);
  return {
    ca: join(dir, 'test-ca.pem'),
    otherCa: join(dir, 'other-ca.pem'),
    clientCert: join(dir, 'asmvs-client.pem'),
    clientKey: join(dir, 'asmvs-client.enc.key'),
  };
}

/** An unsigned JWT ("alg":"none") that Kafka's default OAUTHBEARER validator accepts while exp is ahead. */
export function unsignedJwt(sub: string, expiresInS: number): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none' })}.${part({ sub, iat: now, exp: now + expiresInS })}.`;
}

export async function startTlsBroker(): Promise<TlsBroker> {
  const libs = process.env['KAFKA_LIBS'] ?? join(ROOT, 'infra/target/kafka-libs');
  if (!existsSync(libs)) throw new Error(`no Kafka jars in ${libs}: run \`npm run stack:up\` once (it fetches them)`);
  const dir = mkdtempSync(join(tmpdir(), 'asmvs-tls-broker-'));
  const files = makeCertificates(dir);
  const [plain, mtls, oauth, controller] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const properties = [
    'process.roles=broker,controller',
    'node.id=1',
    `controller.quorum.voters=1@127.0.0.1:${controller}`,
    `listeners=PLAINTEXT://127.0.0.1:${plain},MTLS://127.0.0.1:${mtls},OAUTH://127.0.0.1:${oauth},CONTROLLER://127.0.0.1:${controller}`,
    `advertised.listeners=PLAINTEXT://127.0.0.1:${plain},MTLS://127.0.0.1:${mtls},OAUTH://127.0.0.1:${oauth}`,
    'listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,MTLS:SSL,OAUTH:SASL_SSL',
    'inter.broker.listener.name=PLAINTEXT',
    'controller.listener.names=CONTROLLER',
    'ssl.keystore.type=PEM',
    `ssl.keystore.location=${join(dir, 'broker-keystore.pem')}`,
    'ssl.truststore.type=PEM',
    `ssl.truststore.location=${files.ca}`,
    'listener.name.mtls.ssl.client.auth=required',
    'sasl.enabled.mechanisms=OAUTHBEARER',
    'listener.name.oauth.sasl.enabled.mechanisms=OAUTHBEARER',
    'listener.name.oauth.oauthbearer.sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="broker";',
    `log.dirs=${join(dir, 'data')}`,
    'auto.create.topics.enable=false',
    'offsets.topic.replication.factor=1',
    'offsets.topic.num.partitions=1',
    'transaction.state.log.replication.factor=1',
    'transaction.state.log.min.isr=1',
    'share.coordinator.state.topic.replication.factor=1',
    'share.coordinator.state.topic.min.isr=1',
    'group.initial.rebalance.delay.ms=0',
    'num.network.threads=2',
    'num.io.threads=2',
    'log.cleaner.dedupe.buffer.size=16777216',
  ];
  const config = join(dir, 'server.properties');
  writeFileSync(config, `${properties.join('\n')}\n`);
  const classpath = `${libs}/*`;
  const log4j = join(ROOT, 'infra/log4j2-tools.properties');
  const clusterId = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
  execFileSync(
    'java',
    [
      '-Xmx256m',
      `-Dlog4j2.configurationFile=${log4j}`,
      '-cp',
      classpath,
      'kafka.tools.StorageTool',
      'format',
      '-t',
      clusterId,
      '-c',
      config,
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const broker: ChildProcess = spawn(
    'java',
    [
      '-Xms128m',
      '-Xmx384m',
      '-XX:TieredStopAtLevel=1',
      '-Djava.net.preferIPv4Stack=true',
      `-Dlog4j2.configurationFile=${join(ROOT, 'infra/log4j2-broker.properties')}`,
      '-cp',
      classpath,
      'kafka.Kafka',
      config,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  broker.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  broker.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => broker.once('exit', () => resolve()));
  const stop = async () => {
    if (broker.exitCode === null) broker.kill('SIGTERM');
    await Promise.race([exited, delay(20_000)]);
    if (broker.exitCode === null) broker.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 120_000;
  while (!/Kafka Server started|started \(kafka\.server\.KafkaRaftServer\)/.test(output)) {
    if (broker.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`the test broker did not start:\n${output.slice(-3000)}`);
    }
    await delay(200);
  }
  return { dir, mtls: `127.0.0.1:${mtls}`, oauth: `127.0.0.1:${oauth}`, files, stop };
}
