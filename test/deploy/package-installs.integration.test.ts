// The published package installs and runs: `npm pack` (which builds dist/ on prepack), a global install into a
// temporary prefix, then the installed `asmvs` on Node 24: --version, and a one-shot scan of a port a test server
// holds open on 127.0.0.1. Node refuses to strip types under node_modules, so this proves the package runs from its
// build; the file list proves that tests and sources stay out of it, and that kafkajs is bundled as patched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
// Node 24 (node_modules/.bin, where npm ci puts the node package) first, as on a user's machine with Node 24.
const PATH = `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`;

test('npm pack → npm install -g → asmvs --version and a one-shot scan', { timeout: 300_000 }, async () => {
  const work = mkdtempSync(join(tmpdir(), 'asmvs-pack-'));
  const server = createServer((socket) => {
    socket.on('error', () => undefined); // scanners reset connections
    socket.end('SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n');
  });
  try {
    const packed = JSON.parse(
      execFileSync('npm', ['pack', '--json', '--pack-destination', work], {
        cwd: ROOT,
        env: { ...process.env, PATH },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]?.files.map((f) => f.path) ?? [];
    assert.ok(files.includes('dist/src/cli/main.js') && files.includes('LICENSE') && files.includes('bin/asmvs.js'));
    assert.deepEqual(
      files.filter(
        (f) => f.startsWith('test/') || f.startsWith('src/') || (f.endsWith('.ts') && !f.startsWith('node_modules/')),
      ),
      [],
      'no tests, no TypeScript sources',
    );
    // kafkajs travels inside the package as patched here (bundleDependencies): an install from the registry would be
    // unpatched 2.2.4, and the memory and speed the README measures are the patched one's
    assert.ok(files.includes('node_modules/kafkajs/src/protocol/request.js'), 'kafkajs bundled');

    const prefix = join(work, 'prefix');
    execFileSync(
      'npm',
      [
        'install',
        '-g',
        '--prefix',
        prefix,
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        join(work, packed[0]!.filename),
      ],
      { env: { ...process.env, PATH }, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    const installed = join(prefix, 'lib/node_modules/asmvs/package.json');
    const { dependencies } = JSON.parse(readFileSync(installed, 'utf8')) as { dependencies: Record<string, string> };
    assert.equal(dependencies['dns-packet'], undefined, 'dns-packet is for tests only');
    const bundled = join(prefix, 'lib/node_modules/asmvs/node_modules/kafkajs/src/protocol/encoder.js');
    assert.match(readFileSync(bundled, 'utf8'), /asmvs patch/, 'the installed package runs the patched kafkajs');
    const asmvs = join(prefix, 'bin/asmvs');
    const env = { PATH, HOME: work, METRICS_PORT: '0' };
    const version = spawnSync(asmvs, ['--version'], { env, encoding: 'utf8' });
    assert.equal(version.status, 0, version.stderr);
    assert.equal(
      version.stdout.trim(),
      (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    );

    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    // Asynchronously: the scanned server answers from this process.
    const scan = await run(asmvs, ['scan', '127.0.0.1', '--ports', String(port), '--json'], env);
    assert.equal(scan.status, 0, scan.stderr);
    const findings = JSON.parse(scan.stdout) as { asset: { port: number | null }; title: string }[];
    assert.ok(
      findings.some((f) => f.asset.port === port),
      `a finding for 127.0.0.1:${port}: ${findings.map((f) => f.title).join('; ')}`,
    );
  } finally {
    server.close();
    rmSync(work, { recursive: true, force: true });
  }
});

function run(file: string, args: string[], env: Record<string, string>) {
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}
