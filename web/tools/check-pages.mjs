// Loads every console page in Debian's Chromium (playwright-core, headless) and
// reports console errors, page errors, CSP violations and axe-core violations of
// serious or critical impact; saves a full-page screenshot of each page.
//   node web/tools/check-pages.mjs --url http://127.0.0.1:5173 --key <admin key> --shots DIR
//     [--device ID] [--release ID]
// Exits 1 when any page has a problem. A development aid; the browser tests in
// ctest drive the real server.
import { chromium } from 'playwright-core';
import { readFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string' }, key: { type: 'string' }, shots: { type: 'string', default: '/tmp/console-shots' },
    device: { type: 'string', default: 'esp32-dev-001' }, release: { type: 'string', default: '1' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
const base = values.url.replace(/\/$/, '');
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
await mkdir(values.shots, { recursive: true });

const browser = await chromium.launch({ executablePath: values.chromium, args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const page = await context.newPage();
let problems = [];
page.on('console', (m) => {
  if (m.text().startsWith('Failed to load resource')) return; // reported with its URL by the response handler
  if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
});
page.on('response', (r) => {
  const u = new URL(r.url());
  if (r.status() < 400) return;
  problems.push(`HTTP ${r.status()} ${r.request().method()} ${u.pathname}${u.search}`);
});
page.on('pageerror', (e) => problems.push('page error: ' + e.message));

async function settle() {
  await page.waitForSelector('h1');
  await page.waitForTimeout(700);
}

async function check(name) {
  await settle();
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  for (const v of result.violations) {
    if (v.impact === 'serious' || v.impact === 'critical') {
      problems.push(`axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
    }
  }
  await page.screenshot({ path: `${values.shots}/${name}.png`, fullPage: true });
  console.log(`${problems.length ? 'FAIL' : 'ok  '} ${name}${problems.map((p) => '\n     ' + p).join('')}`);
  const failed = problems.length;
  problems = [];
  return failed;
}

let failures = 0;
await page.goto(base + '/console/');
await page.waitForURL(/\/console\/signin/);
failures += await check('signin');
await page.fill('#signin-key', values.key);
await page.click('button[type=submit]');
await page.waitForURL((u) => !u.pathname.endsWith('/signin'));

const pages = [
  ['overview', '/console/'],
  ['devices', '/console/devices'],
  ['devices-filtered', '/console/devices?channel=stable&sort=last_seen_at&order=desc&limit=25'],
  ['device', '/console/devices/' + encodeURIComponent(values.device)],
  ['releases', '/console/releases'],
  ['release', '/console/releases/' + values.release],
  ['keys', '/console/keys'],
  ['config', '/console/config?device=' + encodeURIComponent(values.device)],
  ['changelog', '/console/changelog'],
  ['audit', '/console/audit'],
  ['not-found', '/console/no-such-page'],
];
for (const [name, url] of pages) {
  await page.goto(base + url);
  failures += await check(name);
}
await page.goto(base + '/console/');
await settle();
await page.selectOption('.lang select', 'th');
failures += await check('overview-th');
await page.goto(base + '/console/devices/' + encodeURIComponent(values.device));
failures += await check('device-th');
await page.goto(base + '/console/releases/' + values.release);
failures += await check('release-th');
await page.selectOption('.lang select', 'en');
await browser.close();
console.log(failures ? `${failures} problems` : 'every page clean');
process.exit(failures ? 1 : 0);
