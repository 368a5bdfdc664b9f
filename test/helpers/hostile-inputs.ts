// The catalogue of hostile inputs, per door. Each probe is refused with its code (exit 2 at a command) and nothing
// is sent: no connect or process (spy I/O), no DNS query (a spy resolver on loopback), nothing to Kafka, the
// registry, the platform API or PostgreSQL (spy listeners on loopback). The door tests run exactly these lists;
// the README's security section counts them (test/app/probe-count.test.ts keeps the two equal).
import type { ErrorCode } from '../../src/errors.ts';
import type { HostScan } from '../../src/schemas/types.gen.ts';
import type { ZoneRecord } from './dns-server.ts';

export interface Probe {
  readonly target: string | readonly string[];
  /** Operator settings (environment) under which it is refused. */
  readonly settings?: Readonly<Record<string, string>>;
  readonly ports?: string;
  /** --scope, as the command takes it. */
  readonly scope?: string;
  readonly profile?: string;
  readonly code: ErrorCode;
}

const each = (code: ErrorCode, targets: readonly string[], settings?: Record<string, string>): Probe[] =>
  targets.map((target) => ({ target, code, ...(settings ? { settings } : {}) }));

/**
 * Option and shell injection, control characters, oversized text: what every registered scanner refuses on its own
 * (runScanner), whatever its target kind (image, path, host).
 */
export const SCANNER_ANY: readonly string[] = [
  '-iL /etc/passwd',
  '--script=x',
  '-sV',
  '-oN/tmp/x',
  '127.0.0.1; rm -rf /',
  '127.0.0.1 && id',
  '',
  'x'.repeat(10_000),
  '$(reboot)',
  '`id`',
  'a|b',
  '../../etc/passwd',
  '127.0.0.1\n',
  '127.0.0.1\u0000',
];

/** The above, and malformed names, addresses, networks and URLs. */
export const MALFORMED: readonly Probe[] = each('TARGET_INVALID', [
  ...SCANNER_ANY,
  `${'a'.repeat(64)}.example.com`,
  'exa\u202emple.com',
  'a\u2028b.com',
  '1.2.3.999',
  '1.2.3.4.5',
  '10.0.0.0/40',
  '10.0.0.0/-1',
  'fe80::1%eth0',
  '1::2::3',
  'ftp://127.0.0.1/',
  'file:///etc/passwd',
  'gopher://127.0.0.1:6379/_x',
  'http://user:pw@127.0.0.1/',
  'http://127.0.0.1/a b',
  ' ',
]);

/** Cloud metadata in every spelling: IPv4 forms, IPv6 forms embedding it, names, URLs, networks. */
export const METADATA: readonly Probe[] = each('TARGET_OUT_OF_SCOPE', [
  '169.254.169.254',
  '2852039166',
  '0xa9fea9fe',
  '0xA9.0xFE.0xA9.0xFE',
  '0251.0376.0251.0376',
  '169.254.43518',
  '169.16689662',
  '0xa9.16689662',
  '169.254.169.254.',
  '::ffff:169.254.169.254',
  '::ffff:a9fe:a9fe',
  '[::ffff:169.254.169.254]',
  '0:0:0:0:0:ffff:a9fe:a9fe',
  '::169.254.169.254',
  '::a9fe:a9fe',
  '[::a9fe:a9fe]',
  '::ffff:0:169.254.169.254',
  '::ffff:0:a9fe:a9fe',
  '64:ff9b::a9fe:a9fe',
  '64:ff9b::169.254.169.254',
  '64:ff9b:1::a9fe:a9fe',
  '64:ff9b:1:a9fe:a9:fe00::',
  '64:ff9b:1:a9:fe:a9fe::',
  '64:ff9b:1::a9:fea9:fe00:0',
  '2002:a9fe:a9fe::1',
  '2002:a9fe:a9fe:ffff::1',
  '2001:0:4136:e378:8000:63bf:5601:5601',
  '2001::5601:5601',
  'fe80::1',
  'fe80::a9fe:a9fe',
  'fd00:ec2::254',
  '100.100.100.200',
  '::ffff:100.100.100.200',
  '64:ff9b::6464:64c8',
  '168.63.129.16',
  'metadata.google.internal',
  'METADATA.google.internal.',
  'metadata.goog',
  'metadata',
  'instance-data',
  'instance-data.ec2.internal',
  'http://169.254.169.254/latest/meta-data/',
  'http://0xa9fea9fe/',
  'http://[::ffff:a9fe:a9fe]/',
  'http://[::a9fe:a9fe]/',
  'http://[64:ff9b::a9fe:a9fe]:80/',
  'https://[2002:a9fe:a9fe::1]:443/',
  'http://metadata.google.internal/computeMetadata/v1/',
  '169.254.0.0/16',
  '169.254.169.254/32',
  '169.254.169.0/24',
  '::ffff:169.254.0.0/112',
  '64:ff9b::a9fe:0/112',
  '::a9fe:a900/120',
  '2002:a9fe:a9fe::/112',
  '2001:0:4136:e378:8000:63bf:5601:5600/120',
]);

/** Never a single host: unspecified, multicast, broadcast, reserved, in every family and form. */
export const RESERVED: readonly Probe[] = each('TARGET_OUT_OF_SCOPE', [
  '0.0.0.0',
  '0',
  '224.0.0.1',
  '239.255.255.250',
  '255.255.255.255',
  '240.0.0.1',
  '::',
  'ff02::1',
  '[ff02::1]',
  '::ffff:0.0.0.0',
  '64:ff9b::e000:1',
  '2002::1',
  '::2',
]);

const LOOPBACK_DENIED = { SCOPE_DENY: 'loopback' };

/** This machine, under SCOPE_DENY=loopback. */
export const LOOPBACK: readonly Probe[] = each(
  'TARGET_OUT_OF_SCOPE',
  [
    '127.0.0.1',
    '127.1',
    '2130706433',
    '0x7f000001',
    '0177.0.0.1',
    '127.255.255.254',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '::0.0.0.1',
    '::ffff:127.0.0.1',
    '::127.0.0.1',
    '::ffff:0:127.0.0.1',
    '64:ff9b::7f00:1',
    '2002:7f00:1::1',
    '2001::80ff:fffe',
    'http://127.0.0.1:8080/',
    'http://[::1]/',
    '127.0.0.0/30',
    '::1/128',
    '64:ff9b::7f00:0/120',
  ],
  LOOPBACK_DENIED,
);

/** The operator's deny-list, in other spellings and through embedded forms. */
export const DENIED: readonly Probe[] = each(
  'TARGET_OUT_OF_SCOPE',
  [
    '10.1.2.3',
    '012.1.2.3',
    '167838211',
    '::ffff:10.1.2.3',
    '::10.1.2.3',
    '64:ff9b::a01:203',
    '2002:a01:203::1',
    'db.corp.example',
    'DB.CORP.EXAMPLE.',
    'ｃorp.example',
    'http://db.corp.example:8443/',
    '10.0.0.0/24',
    '64:ff9b::a00:0/120',
  ],
  { SCOPE_DENY: '10.0.0.0/8,corp.example' },
);

/** Outside the operator's allow-list: names under a domain-only list (decided with no DNS query), addresses. */
export const OUTSIDE_ALLOW: readonly Probe[] = [
  ...each(
    'TARGET_OUT_OF_SCOPE',
    ['other.org', 'example.com.evil.org', 'notexample.com', 'example.co', 'http://other.org/', '8.8.8.8', '1.1.1.0/24'],
    { SCOPE_ALLOW: 'example.com' },
  ),
  ...each('TARGET_OUT_OF_SCOPE', ['10.0.0.1', '::1', '::127.0.0.1', '64:ff9b::7f00:1', '128.0.0.0/24'], {
    SCOPE_ALLOW: '127.0.0.0/8',
  }),
];

/** Over SCOPE_MAX_ADDRESSES, and a range whose every address is denied entry by entry. */
export const OVERSIZED: readonly Probe[] = [
  ...each('TARGET_TOO_LARGE', ['10.0.0.0/8', '0.0.0.0/0', '::/0', '2001:db8::/64', 'fc00::/7']),
  { target: '127.0.0.0/30', settings: { SCOPE_DENY: '127.0.0.0/31,127.0.0.2/31' }, code: 'TARGET_OUT_OF_SCOPE' },
];

export const TARGETS: readonly Probe[] = [
  ...MALFORMED,
  ...METADATA,
  ...RESERVED,
  ...LOOPBACK,
  ...DENIED,
  ...OUTSIDE_ALLOW,
  ...OVERSIZED,
];

/** Bad port specs, on a name: refused before the scope and before any DNS query. */
export const PORTS: readonly Probe[] = [
  '70000',
  '0',
  '80-22',
  'abc',
  '22;id',
  '-p 22',
  '1-65536',
  'top-0',
  'top-99999',
  `${'1,'.repeat(3000)}1`,
].map((ports) => ({ target: 'probe.example.com', ports, code: 'TARGET_INVALID' }));

/** --scope entries that do not parse, and scopes that narrow the target out. */
export const SCOPES: readonly Probe[] = [
  ...['; rm -rf /', '10.0.0.0/99', '$(id)', '!', 'a b', '*.', 'x'.repeat(300), '!169.254.169.254/40', 'http://x/'].map(
    (scope): Probe => ({ target: 'probe.example.com', scope, code: 'TARGET_INVALID' }),
  ),
  ...(
    [
      ['10.0.0.1', '127.0.0.0/8'],
      ['127.0.0.1', '!127.0.0.1'],
      ['other.org', 'example.com'],
      ['::1', '!loopback'],
      ['64:ff9b::7f00:1', 'loopback'],
    ] as const
  ).map(([target, scope]): Probe => ({ target, scope, code: 'TARGET_OUT_OF_SCOPE' })),
];

export const PROFILE: Probe = { target: '127.0.0.1', profile: 'huge', code: 'USAGE' };

/** discover takes several targets: one bad target refuses the request; the cap bounds them together. */
export const MULTI: readonly Probe[] = [
  { target: ['127.0.0.1', '169.254.169.254'], code: 'TARGET_OUT_OF_SCOPE' },
  { target: ['example.org', 'metadata.google.internal'], code: 'TARGET_OUT_OF_SCOPE' },
  { target: ['127.0.0.1', '::a9fe:a9fe'], code: 'TARGET_OUT_OF_SCOPE' },
  { target: ['10.0.0.0/16', '10.1.0.0/16'], code: 'TARGET_TOO_LARGE' },
  { target: ['probe.example.com', '$(id)'], code: 'TARGET_INVALID' },
];

/**
 * What each door is probed with (the one-shot scan takes no --scope; only discover takes several targets). The last
 * is not a command: submitRequest checks again what it is about to produce, whoever calls it.
 */
export const DOOR_PROBES = {
  'scan (one-shot)': [...TARGETS, ...PORTS, PROFILE],
  'scan --submit': [...TARGETS, ...PORTS, ...SCOPES, PROFILE],
  'scan --submit --engine platform': [...TARGETS, ...PORTS, ...SCOPES, PROFILE],
  discover: [...TARGETS, ...PORTS, ...SCOPES, PROFILE, ...MULTI],
  'monitor add': [...TARGETS, ...PORTS, ...SCOPES, PROFILE],
  'submitRequest (what is produced)': [...TARGETS, ...PORTS, ...SCOPES, PROFILE, ...MULTI],
} as const satisfies Record<string, readonly Probe[]>;

export type Door = keyof typeof DOOR_PROBES;

/** A monitor watches a name, address or network: a URL is refused as such. */
export function expectedAt(door: Door, probe: Probe): ErrorCode {
  const url = typeof probe.target === 'string' && /^https?:\/\//i.test(probe.target);
  return door === 'monitor add' && url && probe.code === 'TARGET_OUT_OF_SCOPE' ? 'TARGET_INVALID' : probe.code;
}

export interface DnsProbe {
  readonly name: string;
  readonly records: readonly ZoneRecord[];
  readonly settings?: Readonly<Record<string, string>>;
}

const a = (name: string, data: string): ZoneRecord => ({ type: 'A', name, ttl: 60, data });
const aaaa = (name: string, data: string): ZoneRecord => ({ type: 'AAAA', name, ttl: 60, data });

/** Names whose answers (A, AAAA, through a CNAME) are out of scope: each name is refused whole. */
export const DNS_ANSWERS: readonly DnsProbe[] = [
  ...(
    [
      ['a-metadata.test', '169.254.169.254'],
      ['a-multicast.test', '224.0.0.1'],
      ['a-zero.test', '0.0.0.0'],
      ['a-azure.test', '168.63.129.16'],
    ] as const
  ).map(([name, data]) => ({ name, records: [a(name, data)] })),
  ...(
    [
      ['mapped.test', '::ffff:169.254.169.254'],
      ['compatible.test', '::a9fe:a9fe'],
      ['translated.test', '::ffff:0:a9fe:a9fe'],
      ['nat64.test', '64:ff9b::a9fe:a9fe'],
      ['nat64-local96.test', '64:ff9b:1::a9fe:a9fe'],
      ['nat64-local48.test', '64:ff9b:1:a9fe:a9:fe00::'],
      ['sixtofour.test', '2002:a9fe:a9fe::1'],
      ['teredo.test', '2001:0:4136:e378:8000:63bf:5601:5601'],
      ['link-local.test', 'fe80::1'],
      ['imds-v6.test', 'fd00:ec2::254'],
      ['multicast6.test', 'ff02::1'],
    ] as const
  ).map(([name, data]) => ({ name, records: [aaaa(name, data)] })),
  { name: 'mixed.test', records: [a('mixed.test', '127.0.0.1'), aaaa('mixed.test', '64:ff9b::a9fe:a9fe')] },
  {
    name: 'cname.test',
    records: [{ type: 'CNAME', name: 'cname.test', ttl: 60, data: 'inner.test' }, a('inner.test', '169.254.169.254')],
  },
  ...(
    [
      ['lo4.test', a('lo4.test', '127.0.0.1')],
      ['lo6.test', aaaa('lo6.test', '::1')],
      ['lo-compatible.test', aaaa('lo-compatible.test', '::127.0.0.1')],
      ['lo-nat64.test', aaaa('lo-nat64.test', '64:ff9b::7f00:1')],
      ['lo-teredo.test', aaaa('lo-teredo.test', '2001::80ff:fffe')],
    ] as const
  ).map(([name, record]) => ({ name, records: [record], settings: LOOPBACK_DENIED })),
  ...(
    [
      ['ten.test', a('ten.test', '10.0.0.1')],
      ['ten-nat64.test', aaaa('ten-nat64.test', '64:ff9b::a00:1')],
      ['ten-6to4.test', aaaa('ten-6to4.test', '2002:a00:1::1')],
    ] as const
  ).map(([name, record]) => ({ name, records: [record], settings: { SCOPE_DENY: '10.0.0.0/8' } })),
  ...(
    [
      ['out.test', a('out.test', '10.9.9.9')],
      ['out-nat64.test', aaaa('out-nat64.test', '64:ff9b::7f00:1')],
    ] as const
  ).map(([name, record]) => ({ name, records: [record], settings: { SCOPE_ALLOW: '127.0.0.0/8' } })),
];

export interface HostItemProbe {
  readonly item: Partial<HostScan> & { readonly address: string };
  readonly settings?: Readonly<Record<string, string>>;
  readonly code: ErrorCode;
  /** DNS queries the check may cost (a name checked to still resolve to the address). */
  readonly dnsQueries?: number;
}

/** Host items as asm_discovery emitted them, run (or replayed) under a policy that now refuses them. */
export const HOST_ITEMS: readonly HostItemProbe[] = [
  ...[
    '169.254.169.254',
    '0xa9fea9fe',
    '::ffff:169.254.169.254',
    '::a9fe:a9fe',
    '::ffff:0:a9fe:a9fe',
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::a9fe:a9fe',
    '2002:a9fe:a9fe::1',
    '2001:0:4136:e378:8000:63bf:5601:5601',
    'fe80::1',
    'fd00:ec2::254',
    '224.0.0.1',
    '::',
  ].map((address): HostItemProbe => ({ item: { address }, code: 'TARGET_OUT_OF_SCOPE' })),
  ...['127.0.0.1', '::ffff:127.0.0.1', '::127.0.0.1', '64:ff9b::7f00:1'].map((address): HostItemProbe => ({
    item: { address },
    settings: { SCOPE_DENY: '127.0.0.0/8' },
    code: 'TARGET_OUT_OF_SCOPE',
  })),
  { item: { address: '::1' }, settings: LOOPBACK_DENIED, code: 'TARGET_OUT_OF_SCOPE' },
  { item: { address: '127.0.0.1' }, settings: { SCOPE_ALLOW: '10.0.0.0/8' }, code: 'TARGET_OUT_OF_SCOPE' },
  { item: { address: '127.0.0.1', scope: { allow: [], deny: ['127.0.0.1'] } }, code: 'TARGET_OUT_OF_SCOPE' },
  { item: { address: '127.0.0.1', scope: { allow: ['10.0.0.0/8'], deny: [] } }, code: 'TARGET_OUT_OF_SCOPE' },
  { item: { address: '127.0.0.1', scope: { allow: ['; rm -rf /'], deny: [] } }, code: 'TARGET_INVALID' },
  {
    item: { address: '127.0.0.1', hostname: 'other.test' },
    settings: { SCOPE_ALLOW: 'allowed.test' },
    code: 'TARGET_OUT_OF_SCOPE',
  },
  {
    item: { address: '127.0.0.1', hostname: 'svc.allowed.test' },
    settings: { SCOPE_ALLOW: 'allowed.test' },
    code: 'TARGET_OUT_OF_SCOPE',
    dnsQueries: 2,
  },
  { item: { address: '127.0.0.1', hostname: 'metadata.google.internal' }, code: 'TARGET_OUT_OF_SCOPE' },
  {
    item: { address: '127.0.0.1', hostname: 'db.corp.test' },
    settings: { SCOPE_DENY: 'corp.test' },
    code: 'TARGET_OUT_OF_SCOPE',
  },
  ...['not-an-address', '127.0.0.1; rm -rf /', '', '127.0.0.1/8', 'fe80::1%eth0'].map((address): HostItemProbe => ({
    item: { address },
    code: 'TARGET_INVALID',
  })),
  { item: { address: '127.0.0.1', ports: '70000' }, code: 'TARGET_INVALID' },
  ...[[0], [70000], [80.5]].map((ports): HostItemProbe => ({
    item: { address: '127.0.0.1', ping: { enabled: true, ports } },
    code: 'TARGET_INVALID',
  })),
  {
    item: { address: '127.0.0.1', ping: { enabled: true, ports: Array.from({ length: 17 }, (_, i) => i + 1) } },
    code: 'TARGET_TOO_LARGE',
  },
];

/**
 * What the network scanners refuse under the conformance suite's loopback-only policy: metadata and reserved
 * addresses in every form, oversized and outside ranges, and the IPv6 spellings of loopback, which an allow-list
 * of 127.0.0.0/8 and ::1 does not admit (allow-lists admit an address as written).
 */
export const SCANNER_NETWORK: readonly string[] = [
  ...[...METADATA, ...RESERVED].map((p) => p.target as string),
  ...['10.0.0.0/8', '::/0', '10.1.2.3', '8.8.8.8', '::127.0.0.1', '64:ff9b::7f00:1', '2002:7f00:1::1'],
];

/** The README's count of probes per door (test/app/probe-count.test.ts checks the README holds this table). */
export function probeTable(scanners: readonly { readonly targetKind: 'network' | 'artifact' }[]): string {
  const rows: [string, number][] = [
    ...Object.entries(DOOR_PROBES).map(([door, probes]): [string, number] => [door, probes.length]),
    ['DNS answers (one-shot scan, asm_discovery)', DNS_ANSWERS.length * 2],
    ['host items run or replayed under a changed policy (host_scan)', HOST_ITEMS.length],
    [
      `each registered scanner (${scanners.length})`,
      scanners.reduce((n, s) => n + SCANNER_ANY.length + (s.targetKind === 'network' ? SCANNER_NETWORK.length : 0), 0),
    ],
  ];
  const total = rows.reduce((n, [, count]) => n + count, 0);
  return [
    '| door | probes |',
    '|---|---|',
    ...rows.map(([door, count]) => `| ${door} | ${count} |`),
    `| **total** | **${total}** |`,
  ].join('\n');
}
