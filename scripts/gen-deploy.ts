// Renders what deploys the stages from src/topology.ts: deploy/kubernetes/, docker-compose.yml's stage services, and
// the Grafana dashboard (deploy/grafana/asmvs.json).
// A stage added to the topology appears by running this again (`npm run gen:deploy`); test/deploy/manifests.test.ts
// fails while the committed files differ from a fresh render.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAGES } from '../src/topology.ts';
import { kubernetesManifests } from './deploy/kubernetes.ts';
import { withComposeStages } from './deploy/compose.ts';
import { dashboard } from './deploy/grafana.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const kubernetes = resolve(root, 'deploy/kubernetes');
rmSync(kubernetes, { recursive: true, force: true });
for (const [path, text] of kubernetesManifests(STAGES)) {
  const file = resolve(kubernetes, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
mkdirSync(resolve(root, 'deploy/grafana'), { recursive: true });
writeFileSync(resolve(root, 'deploy/grafana/asmvs.json'), dashboard());
const compose = resolve(root, 'docker-compose.yml');
writeFileSync(compose, withComposeStages(readFileSync(compose, 'utf8'), STAGES));
process.stderr.write(`wrote ${kubernetes}, deploy/grafana/asmvs.json and the stage services of ${compose}\n`);
