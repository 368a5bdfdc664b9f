// nmap's hard matches count as truth, its soft matches as guesses an HTTP request can settle, its port-table names
// as nothing: the service benchmarks report each kind apart (nmap's own -sV output on this machine's services).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compareServices } from '../../../src/scanners/nmap/compare-services.ts';
import { judge, judgeRows, nmapMatchOf, summarise } from '../../../src/scanners/nmap/judge-agreement.ts';
import { servicesOf } from '../../../src/scanners/nmap/nmap-services-of.ts';
import { parseNmapXml } from '../../../src/normalizers/formats/nmap/read-nmap-xml.ts';
import { serviceAt } from '../../helpers/service.ts';
import { softMatchedPorts } from '../../../src/scanners/nmap/soft-matches.ts';

const xml = readFileSync(new URL('../../fixtures/scanners/nmap-sv-loopback.xml', import.meta.url));
const nmap = servicesOf(parseNmapXml(xml));
const soft = softMatchedPorts(xml.toString('utf8'));
const ours = (port: number, service: string | null, product: string | null = null, version: string | null = null) =>
  serviceAt(port, { service, product, version });

test('hard, soft and port-table matches are told apart', () => {
  assert.deepEqual([...soft].sort(), [4222, 5432, 8081, 9001]);
  const kind = (port: number) =>
    nmapMatchOf(
      nmap.find((s) => s.port === port),
      soft,
    );
  assert.deepEqual([1883, 3306, 4222, 5432, 6379, 8081, 9001, 9092, 25672].map(kind), [
    'hard',
    'hard',
    'guess',
    'soft',
    'hard',
    'soft',
    'soft',
    'guess',
    'none',
  ]);
});

test('an HTTP answer settles http against sip and rtsp', () => {
  const rows = compareServices(
    [
      ours(3306, 'mysql', 'MariaDB', '10.11.19'),
      ours(5432, 'postgresql', 'PostgreSQL', '15.20'),
      ours(8081, 'http'),
      ours(9001, 'http'),
      ours(9092, 'kafka', 'Apache Kafka'),
    ],
    nmap.filter((s) => [3306, 5432, 8081, 9001, 9092].includes(s.port)),
  );
  const judged = judgeRows(
    rows,
    nmap,
    soft,
    new Map([
      [8081, 'answers-http'],
      [9001, 'answers-http'],
    ]),
  );
  assert.deepEqual(
    judged.map((r) => [r.port, r.match, r.judgement]),
    [
      [3306, 'hard', 'agree'],
      [5432, 'soft', 'agree'],
      [8081, 'soft', 'asmvs-right'],
      [9001, 'soft', 'asmvs-right'],
      [9092, 'guess', 'asmvs-only'],
    ],
  );
  assert.deepEqual(summarise(judged), {
    hard: { total: 1, agree: 1 },
    soft: { total: 3, agree: 1, asmvsRight: 2, nmapRight: 0, unsettled: 0 },
    unnamed: { total: 1, asmvsNamed: 1 },
  });
});

test('the referee sides with whoever it confirms, and says so when it cannot', () => {
  const [row] = compareServices(
    [ours(9001, 'rtsp')],
    nmap.filter((s) => s.port === 9001),
  );
  assert.ok(row);
  const http = { ...row, ours: { service: 'http', product: null, version: null }, verdict: 'disagree' as const };
  assert.equal(judge(http, 'soft', 'no-http'), 'nmap-right');
  assert.equal(
    judge(
      { ...http, nmap: { ...http.nmap, service: 'http' }, ours: { ...http.ours, service: 'sip' } },
      'soft',
      'answers-http',
    ),
    'nmap-right',
  );
  assert.equal(judge({ ...http, ours: { ...http.ours, service: 'ftp' } }, 'soft', 'answers-http'), 'both-wrong');
  assert.equal(judge(http, 'soft', null), 'unsettled');
});
