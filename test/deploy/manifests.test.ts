// What deploys the stages is generated from the topology and valid:
// - deploy/kubernetes/ and docker-compose.yml's stage services equal a fresh render (scripts/gen-deploy.ts), so a
//   stage added to src/topology.ts appears by regeneration and a hand edit is caught;
// - every Kubernetes object validates against the Kubernetes OpenAPI schema (kubernetes-models) or KEDA's CRD schema
//   (@kubernetes-models/keda), and each stage has its Deployment (probes, resources, config from the ConfigMap,
//   secrets from the Secret) and PodDisruptionBudget;
// - docker-compose.yml validates against the Compose Specification's JSON schema (compose-spec/compose-spec,
//   schema/compose-spec.json, vendored here) and each stage service is built from the Dockerfile, checks /readyz,
//   waits for its dependencies and has the memory limits of scripts/deploy/stage-deployment.ts;
// - the Dockerfile passes dockerfilelint and has the shape we rely on (dockerfile-ast).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { Ajv } from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { DockerfileParser } from 'dockerfile-ast';
import { ConfigMap, Secret } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { STAGES } from '../../src/topology.ts';
import { kubernetesManifests } from '../../scripts/deploy/kubernetes.ts';
import { composeStages, COMPOSE_END, COMPOSE_START } from '../../scripts/deploy/compose.ts';
import { MEMORY_MIB, stageDeployment } from '../../scripts/deploy/stage-deployment.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KUBERNETES = join(ROOT, 'deploy/kubernetes');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

type Validator = new (data: never) => { validate(): void };
const KINDS: Record<string, Validator> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'batch/v1/Job': Job,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
};

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec?: Record<string, unknown>;
  [k: string]: unknown;
}

function objectsIn(path: string): KubeObject[] {
  return parseAllDocuments(readFileSync(join(KUBERNETES, path), 'utf8')).map((d) => {
    assert.deepEqual(d.errors, [], `${path}: YAML errors`);
    return d.toJS() as KubeObject;
  });
}

test('deploy/kubernetes/ is what scripts/gen-deploy.ts renders from the topology', () => {
  const expected = kubernetesManifests(STAGES);
  assert.deepEqual(filesUnder(KUBERNETES), [...expected.keys()].sort(), 'run `npm run gen:deploy`');
  for (const [path, text] of expected)
    assert.equal(readFileSync(join(KUBERNETES, path), 'utf8'), text, `${path}: run \`npm run gen:deploy\``);
});

test('every Kubernetes object validates against its schema (Kubernetes OpenAPI, KEDA CRD)', () => {
  let count = 0;
  for (const path of filesUnder(KUBERNETES).filter((p) => p !== 'kustomization.yaml')) {
    for (const object of objectsIn(path)) {
      const Kind = KINDS[`${object.apiVersion}/${object.kind}`];
      assert.ok(Kind, `${path}: no validator for ${object.apiVersion} ${object.kind}`);
      assert.doesNotThrow(
        () => new Kind(object as never).validate(),
        `${path}: ${object.kind} ${object.metadata.name}`,
      );
      count += 1;
    }
  }
  assert.equal(count, 3 + 2 * STAGES.length + 1, 'ConfigMap, Secret, Job, two per stage, one ScaledObject');
});

test('the validation would catch a broken manifest', () => {
  const [deployment] = objectsIn('stages/vs-normalization.yaml') as [KubeObject];
  const broken = structuredClone(deployment);
  (broken.spec as { replicas: unknown }).replicas = 'two';
  assert.throws(() => new Deployment(broken as never).validate(), /replicas/);
  const [scaled] = objectsIn('autoscaling/vs-normalization-scaledobject.yaml') as [KubeObject];
  const noTarget = structuredClone(scaled);
  delete (noTarget.spec as { scaleTargetRef?: unknown }).scaleTargetRef;
  assert.throws(() => new ScaledObject(noTarget as never).validate(), /scaleTargetRef/);
});

test('each stage: a Deployment running it with probes, resources, ConfigMap and Secret, and a PodDisruptionBudget', () => {
  const kustomization = parse(readFileSync(join(KUBERNETES, 'kustomization.yaml'), 'utf8')) as { resources: string[] };
  for (const resource of kustomization.resources) assert.ok(filesUnder(KUBERNETES).includes(resource), resource);
  for (const spec of STAGES) {
    const d = stageDeployment(spec);
    const file = `stages/${spec.name.replaceAll('_', '-')}.yaml`;
    assert.ok(kustomization.resources.includes(file), `${file} in the kustomization`);
    const [deployment, pdb] = objectsIn(file) as unknown as [Deployment, PodDisruptionBudget];
    assert.equal(deployment.kind, 'Deployment');
    const container = deployment.spec?.template.spec?.containers[0];
    assert.deepEqual(container?.args, ['run', spec.name]);
    assert.equal(container?.readinessProbe?.httpGet?.path, '/readyz');
    assert.equal(container?.livenessProbe?.httpGet?.path, '/healthz');
    assert.equal(container?.resources?.limits?.['memory'], `${d.memory.limit}Mi`);
    assert.deepEqual(
      container?.envFrom?.map((e) => e.configMapRef?.name ?? e.secretRef?.name),
      ['asmvs-config', 'asmvs-secrets'],
    );
    assert.equal(
      container?.env?.some((e) => e.name === 'EXACTLY_ONCE' && e.value === 'true') ?? false,
      spec.pure,
      'pure stages run exactly-once',
    );
    assert.equal(pdb.kind, 'PodDisruptionBudget');
    assert.deepEqual(pdb.spec?.selector?.matchLabels, deployment.spec?.selector.matchLabels);
  }
  const [job] = objectsIn('topics-job.yaml') as unknown as [Job];
  assert.deepEqual(job.spec?.template.spec?.containers[0]?.args, ['topics', 'create']);
});

test('kubectl kustomize renders the kustomization, when kubectl is installed', (t) => {
  let out: string;
  try {
    out = execFileSync('kubectl', ['kustomize', KUBERNETES], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return t.skip('kubectl is not installed');
    throw error;
  }
  const kinds = parseAllDocuments(out).map((d) => (d.toJS() as KubeObject).kind);
  assert.equal(kinds.filter((k) => k === 'Deployment').length, STAGES.length);
  assert.equal(kinds.filter((k) => k === 'PodDisruptionBudget').length, STAGES.length);
});

const COMPOSE = read('docker-compose.yml');

test("docker-compose.yml's stage services are what scripts/gen-deploy.ts renders from the topology", () => {
  const start = COMPOSE.indexOf(COMPOSE_START);
  const end = COMPOSE.indexOf(COMPOSE_END);
  assert.ok(start >= 0 && end > start, 'the stages markers');
  assert.equal(COMPOSE.slice(start, end + COMPOSE_END.length), composeStages(STAGES), 'run `npm run gen:deploy`');
});

function composeValidator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // The spec names its meta-schema by https URL without the fragment; ajv ships draft-07 under the http one.
  const meta = JSON.parse(read('node_modules/ajv/dist/refs/json-schema-draft-07.json')) as object;
  ajv.addMetaSchema({ ...meta, $id: 'https://json-schema.org/draft-07/schema' });
  return ajv.compile(JSON.parse(read('test/deploy/compose-spec.json')) as object);
}

interface ComposeService {
  build?: unknown;
  image?: string;
  command?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  deploy?: { resources?: { limits?: { memory?: string }; reservations?: { memory?: string } } };
  environment?: Record<string, string>;
}

test('docker-compose.yml validates against the Compose Specification schema', () => {
  const validate = composeValidator();
  const compose = parse(COMPOSE, { merge: true }) as { services: Record<string, ComposeService> };
  assert.equal(validate(compose), true, JSON.stringify(validate.errors, null, 1));
  const broken = structuredClone(compose);
  (broken.services['vs_normalization']!.healthcheck as Record<string, unknown>)['intervall'] = '5s';
  assert.equal(validate(broken), false, 'the schema rejects an unknown field');
});

test('each stage service: built from the Dockerfile, healthy on /readyz, dependencies by condition, memory limits', () => {
  const { services } = parse(COMPOSE, { merge: true }) as { services: Record<string, ComposeService> };
  assert.ok(services['topics']?.build !== undefined);
  assert.deepEqual(services['topics']?.command, ['topics', 'create']);
  for (const spec of STAGES) {
    const d = stageDeployment(spec);
    const s = services[spec.name];
    assert.ok(s, `a service for ${spec.name}`);
    assert.equal(s.build, '.');
    assert.deepEqual(s.command, ['run', spec.name]);
    assert.deepEqual(s.healthcheck?.test, ['CMD', 'node', 'dist/bin/healthcheck.js']);
    assert.equal(s.depends_on?.['topics']?.condition, 'service_completed_successfully');
    if (d.database) assert.equal(s.depends_on?.['postgres']?.condition, 'service_healthy');
    assert.equal(s.deploy?.resources?.limits?.memory, `${d.memory.limit}M`);
    assert.equal(s.deploy?.resources?.reservations?.memory, `${d.memory.request}M`);
    assert.equal(s.environment?.['EXACTLY_ONCE'] === 'true', spec.pure);
  }
  assert.equal(MEMORY_MIB.limit, 320);
});

test('the Dockerfile: lint-clean, multi-stage on Node 24 slim, nmap, non-root, HEALTHCHECK on /readyz', () => {
  let report: { files: { issues: { line: string; title: string; content: string }[] }[] };
  try {
    report = JSON.parse(
      execFileSync(
        process.execPath,
        [join(ROOT, 'node_modules/dockerfilelint/bin/dockerfilelint'), '-o', 'json', join(ROOT, 'Dockerfile')],
        {
          encoding: 'utf8',
        },
      ),
    ) as typeof report;
  } catch (error) {
    report = JSON.parse((error as { stdout: string }).stdout) as typeof report;
  }
  // dockerfilelint 1.8.0 reads HEALTHCHECK options with /--\w+/, which stops at the hyphen of --start-period (a
  // documented Docker option since 17.05) and calls the line invalid. That one finding is the tool's, not ours.
  const issues = report.files
    .flatMap((f) => f.issues)
    .filter((i) => !(i.title === 'Invalid Argument Format' && i.content.startsWith('HEALTHCHECK --interval=10s')));
  assert.deepEqual(issues, []);

  const dockerfile = DockerfileParser.parse(read('Dockerfile'));
  const froms = dockerfile.getFROMs();
  assert.equal(froms.length, 2, 'a build stage and a runtime stage');
  for (const from of froms) assert.match(from.getImage() ?? '', /^node:24-[a-z]+-slim$/);
  const last = froms[1]!.getRange().start.line;
  const runtime = dockerfile.getInstructions().filter((i) => i.getRange().start.line > last);
  const lines = read('Dockerfile').split('\n');
  // Each instruction as written (flags included), continuation lines joined.
  const text = (keyword: string) =>
    runtime
      .filter((i) => i.getKeyword() === keyword)
      .map((i) =>
        lines
          .slice(i.getRange().start.line, i.getRange().end.line + 1)
          .join(' ')
          .replace(/\\\s+/g, ' '),
      );
  assert.ok(text('RUN').some((r) => /apt-get install .*\bnmap\b/.test(r)));
  assert.ok(text('COPY').some((c) => c.startsWith('COPY --from=build /src/dist/')));
  assert.deepEqual(text('USER'), ['USER node']);
  assert.equal(dockerfile.getHEALTHCHECKs().length, 1);
  assert.match(text('HEALTHCHECK')[0] ?? '', /CMD \["node", "dist\/bin\/healthcheck\.js"\]/);
  assert.match(read('bin/healthcheck.js'), /\/readyz/);
  assert.match(text('ENV')[0] ?? '', /METRICS_HOST=0\.0\.0\.0/);
});
