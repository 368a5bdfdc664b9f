// Renders what deploys the stages from src/topology.ts: deploy/kubernetes/ and docker-compose.yml's stage services.
// A stage added to the topology appears by running this again (`npm run gen:deploy`); test/deploy/manifests.test.ts
// fails while the committed files differ from a fresh render.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STAGES } from '../src/topology.ts';
import { kubernetesManifests } from './deploy/kubernetes.ts';
import { withComposeStages } from './deploy/compose.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const kubernetes = resolve(root, 'deploy/kubernetes');
rmSync(kubernetes, { recursive: true, force: true });
for (const [path, text] of kubernetesManifests(STAGES)) {
  const file = resolve(kubernetes, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}
const compose = resolve(root, 'docker-compose.yml');
writeFileSync(compose, withComposeStages(readFileSync(compose, 'utf8'), STAGES));
process.stderr.write(`wrote ${kubernetes} and the stage services of ${compose}\n`);
