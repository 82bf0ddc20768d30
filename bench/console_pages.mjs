// How long the console's pages take in a real browser against a running
// apiota (for example the million-device one `console_queries.py --keep`
// leaves behind): Debian's Chromium, headless, driven by playwright-core from
// web/node_modules.
//
//   node bench/console_pages.mjs --url http://127.0.0.1:PORT --key ADMIN_KEY \
//     [--device ID] [--release ID] [--reps 5]
//
// Signs in through the sign-in page, then loads each page of PAGES --reps
// times with a full page load (page.goto, the browser cache warm after the
// first) and times from the navigation's start until the page shows its data:
// its heading is there and no section still says "Loading…". Prints, per
// page, the first load and the median and worst of the others, in
// milliseconds. The timing includes the browser's own work (parse, render),
// so it is what an operator waits. A page that shows an error or never
// settles within 30 s fails the run (exit 1); the times never do.
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '../web');
const { chromium } = createRequire(join(webDir, 'package.json'))('playwright-core');

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    key: { type: 'string' },
    device: { type: 'string', default: 'dev-0000001' },
    release: { type: 'string', default: '2' },
    reps: { type: 'string', default: '5' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
if (!values.url || !values.key) {
  console.error('usage: node bench/console_pages.mjs --url URL --key ADMIN_KEY [--device ID] [--release ID] [--reps N]');
  process.exit(2);
}
const base = values.url.replace(/\/$/, '');
const reps = Math.max(2, Number(values.reps));
const device = encodeURIComponent(values.device);

const PAGES = [
  ['overview', '/console/'],
  ['devices', '/console/devices'],
  ['devices tag=canary', '/console/devices?tag=canary'],
  ['devices last seen, newest first', '/console/devices?sort=last_seen_at&order=desc'],
  ['devices version + channel', '/console/devices?version=1.2.0&channel=beta'],
  ['device', `/console/devices/${device}`],
  ['releases', '/console/releases'],
  ['release', `/console/releases/${values.release}`],
  ['changelog', '/console/changelog'],
  ['audit', '/console/audit'],
];

const browser = await chromium.launch({ executablePath: values.chromium, args: ['--no-sandbox'] });
let failures = 0;
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(base + '/console/');
  await page.waitForURL(/\/console\/signin/);
  await page.fill('#signin-key', values.key);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => !u.pathname.endsWith('/signin'));

  // Milliseconds from the start of a full load of `path` until its data shows.
  const load = async (path) => {
    const started = performance.now();
    await page.goto(base + path);
    await page.locator('h1').first().waitFor({ timeout: 30000 });
    await page.waitForFunction(() => ![...document.querySelectorAll('[role=status]')]
      .some((e) => /^(Loading…|กำลังโหลด…)$/.test(e.textContent.trim())), null, { timeout: 30000 });
    const elapsed = performance.now() - started;
    const shown = await page.locator('[role=alert]').allTextContents();
    if (shown.some((t) => t.trim())) throw new Error(`${path} shows an error: ${shown.join(' | ')}`);
    return elapsed;
  };

  console.log(`| page (${reps} full loads) | first ms | median ms | worst ms |`);
  console.log('|---|---:|---:|---:|');
  for (const [name, path] of PAGES) {
    try {
      const times = [];
      for (let i = 0; i < reps; i++) times.push(await load(path));
      const rest = times.slice(1).sort((a, b) => a - b);
      const median = rest[Math.floor((rest.length - 1) / 2)];
      console.log(`| ${name} | ${times[0].toFixed(0)} | ${median.toFixed(0)} | ${rest.at(-1).toFixed(0)} |`);
    } catch (e) {
      failures++;
      console.log(`| ${name} | failed: ${e.message.split('\n')[0]} | | |`);
    }
  }
} finally {
  await browser.close();
}
process.exit(failures ? 1 : 0);
