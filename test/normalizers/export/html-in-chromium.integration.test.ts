// The HTML report in a real headless Chromium (Debian's package, driven by playwright-core): the page loads from a
// file and fetches nothing else, every finding is on it (by fingerprint, with its title and severity), the summary
// counts match, hostile text is shown escaped and runs no script, and a screenshot is taken (test-output/).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type BrowserContext } from 'playwright-core';
import { htmlChunks } from '../../../src/normalizers/export/html.ts';
import { CONTEXT, allFixtureFindings, awkwardFindings } from './findings.ts';

const CHROMIUM = '/usr/bin/chromium';
const OUTPUT = fileURLToPath(new URL('../../../test-output/', import.meta.url));

let browser: BrowserContext;
let profile: string;

before(async () => {
  profile = mkdtempSync(join(tmpdir(), 'asmvs-chromium-'));
  // A fresh profile directory (--user-data-dir, which playwright passes for a persistent context).
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    viewport: { width: 1280, height: 900 },
    // The flags keep Chromium from reaching anything on its own (updates, sync, QUIC, background fetches).
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  rmSync(profile, { recursive: true, force: true });
});

test('the report loads from one file, fetches nothing else, and shows every finding', async () => {
  const findings = [...allFixtureFindings(), ...awkwardFindings()];
  const dir = mkdtempSync(join(tmpdir(), 'asmvs-html-'));
  const file = join(dir, 'report.html');
  writeFileSync(file, [...htmlChunks(findings, CONTEXT)].join(''));
  const page = await browser.newPage();
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  try {
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
    assert.deepEqual(requests, [pathToFileURL(file).href], 'the page itself and nothing else');

    const shown = await page.$$eval('article.finding', (els) =>
      els.map((e) => ({
        fingerprint: e.getAttribute('data-fingerprint'),
        severity: e.getAttribute('data-severity'),
        title: e.querySelector('h4')?.textContent ?? '',
      })),
    );
    assert.equal(shown.length, findings.length);
    // (the same scan in two report formats gives the same fingerprint twice: each is on the page)
    // eslint-disable-next-line no-control-regex
    for (const f of findings.filter((x) => !/[\u0000-\u001f\u2028\u202e]/.test(x.title))) {
      const match = shown.filter((s) => s.fingerprint === f.fingerprint && s.title.includes(f.title));
      assert.ok(match.length > 0, `${f.title} is on the page`);
      assert.ok(
        match.some((s) => s.severity === f.severity),
        `${f.title} shows as ${f.severity}`,
      );
    }

    const counts = await page.$$eval('table.by-severity td[data-severity]', (tds) =>
      Object.fromEntries(tds.map((td) => [td.getAttribute('data-severity'), Number(td.textContent)])),
    );
    for (const s of ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'])
      assert.equal(counts[s], findings.filter((f) => f.severity === s).length, s);

    // hostile text: the markup is text, the bidi override and line separator are visible escapes, no alert ran
    const hostile = await page.textContent(`article[data-fingerprint="${'b'.repeat(64)}"] h4`);
    assert.match(hostile ?? '', /Bidi \\u202e override and line\\u2028separator, <script>alert\(1\)<\/script>/);
    assert.deepEqual(dialogs, []);
    assert.equal(await page.$$eval('script', (s) => s.length), 0);

    mkdirSync(OUTPUT, { recursive: true });
    const shot = join(OUTPUT, 'report.png');
    await page.screenshot({ path: shot, fullPage: false });
    assert.ok(statSync(shot).size > 10_000, 'a screenshot with something on it');
  } finally {
    await page.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
