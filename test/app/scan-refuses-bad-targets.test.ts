// Bad or out-of-scope targets stop `asmvs scan` before any stage starts: exit 2, the reason, nothing sent.
// (That nothing is sent is proven per scanner in test/scanners/conformance.test.ts; here, that the CLI stops.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../helpers/cli.ts';
import { dnsServer } from '../helpers/dns-server.ts';

for (const [target, reason] of [
  ['not_a_host!', /TARGET_INVALID/],
  ['169.254.169.254', /TARGET_OUT_OF_SCOPE/],
  ['0xa9fea9fe', /TARGET_OUT_OF_SCOPE/],
  ['::ffff:169.254.169.254', /TARGET_OUT_OF_SCOPE/],
  ['-iL/etc/passwd', /TARGET_INVALID/],
] as const) {
  test(`scan ${target} exits 2 with the reason`, async () => {
    // `--` makes the CLI take even an option-looking word as the target, so the scanner's own check is what refuses it.
    const result = await runCli(['scan', '--', target], {}, 30_000);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, reason);
    assert.equal(result.stdout, '');
  });
}

test('an option-looking target without -- is an unknown option, exit 2', async () => {
  const result = await runCli(['scan', '-iL', '/etc/passwd'], {}, 30_000);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /unknown option '-iL'/);
});

test('an unknown profile is a usage error', async () => {
  const result = await runCli(['scan', '127.0.0.1', '--profile', 'huge'], {}, 30_000);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /huge/);
});

test('arguments and settings are checked before any I/O: one line, exit 2, no DNS query', async () => {
  const dns = await dnsServer([]);
  try {
    for (const [args, env, reason] of [
      [
        ['scan', 'probe.example.com', '--ports', '70000'],
        {},
        /^asmvs: invalid port spec "70000".*\[TARGET_INVALID\]\n$/,
      ],
      [
        ['scan', 'other.example.org'],
        { SCOPE_ALLOW: 'example.com' },
        /^asmvs: other\.example\.org is out of scope: not in the operator allow-list \[TARGET_OUT_OF_SCOPE\]\n$/,
      ],
      [
        ['scan', '127.0.0.1'],
        { DNS_RESOLVER: '127.0.0.1:99999' },
        /DNS_RESOLVER: the port must be 1-65535 \[CONFIG_INVALID\]\n$/,
      ],
    ] as const) {
      const result = await runCli(args, { DNS_RESOLVER: dns.server, ...env }, 30_000);
      assert.equal(result.code, 2, result.stderr);
      assert.match(result.stderr, reason);
      assert.equal(result.stdout, '');
    }
    assert.deepEqual(dns.queries, []);
  } finally {
    dns.close();
  }
});
