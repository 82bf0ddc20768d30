// Walks the console's main flows in Debian's Chromium (playwright-core, headless)
// against a running server with some devices (see seed-dev.mjs) and checks what
// the user sees after each step; any console error, CSP violation or unexpected
// failed request is a failure.
//   node web/tools/check-flows.mjs --url http://127.0.0.1:5173 --key <admin key> --image fw.bin --bad-image junk.bin
//     [--device ID]
// A development aid; the browser tests in ctest drive the real server.
import { chromium } from 'playwright-core';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    url: { type: 'string' }, key: { type: 'string' }, image: { type: 'string' }, 'bad-image': { type: 'string' },
    device: { type: 'string', default: 'esp32-dev-003' }, chromium: { type: 'string', default: '/usr/bin/chromium' },
  },
});
const base = values.url.replace(/\/$/, '');
const browser = await chromium.launch({ executablePath: values.chromium, args: ['--no-sandbox'] });
const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, permissions: ['clipboard-read', 'clipboard-write'] });
const page = await context.newPage();
const problems = [];
let expected = [];
page.on('console', (m) => {
  if (m.text().startsWith('Failed to load resource')) return;
  if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
});
page.on('pageerror', (e) => problems.push('page error: ' + e.message));
page.on('response', (r) => {
  if (r.status() < 400) return;
  const u = new URL(r.url());
  const i = expected.findIndex(([s, p]) => s === r.status() && u.pathname === p);
  if (i >= 0) expected.splice(i, 1);
  else problems.push(`HTTP ${r.status()} ${r.request().method()} ${u.pathname}`);
});

let step = 0;
async function expectText(selector, text) {
  await page.locator(selector, { hasText: text }).first().waitFor({ timeout: 5000 });
}
async function run(name, fn) {
  step++;
  try {
    await fn();
    console.log(`ok   ${step}. ${name}`);
  } catch (e) {
    problems.push(`${name}: ${e.message.split('\n')[0]}`);
    console.log(`FAIL ${step}. ${name}: ${e.message.split('\n')[0]}`);
  }
}

await run('sign in', async () => {
  await page.goto(base + '/console/keys');
  await page.waitForURL(/\/console\/signin\?next=/);
  await page.fill('#signin-key', values.key);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/console\/keys$/);
  expected = [];
});

await run('create a provisioning key, shown once, copied', async () => {
  await page.selectOption('#key-role', 'provision');
  await page.fill('#key-label', 'flow test line');
  await page.click('text=Create key');
  const key = await page.locator('#new-key').textContent();
  if (!key.startsWith('pk_live_')) throw new Error('no key shown: ' + key);
  await page.click('.secret button:has-text("Copy")');
  await expectText('.secret [role=status]', 'Copied');
  if ((await page.evaluate(() => navigator.clipboard.readText())) !== key) throw new Error('clipboard differs');
  await expectText('td', 'flow test line');
});

await run('label a key', async () => {
  await page.click('button[aria-label^="Edit the label"] >> nth=0');
  await page.locator('td input').first().fill('relabelled');
  await page.click('td button:has-text("Save")');
  await expectText('td', 'relabelled').catch(async () => {
    throw new Error('label not saved (PATCH /api/admin/keys/{id} may be missing)');
  });
});

await run('an invalid firmware upload is refused in words', async () => {
  expected.push([400, '/api/firmware/upload']);
  await page.goto(base + '/console/releases');
  await page.setInputFiles('#upload-file', values['bad-image']);
  await page.fill('#upload-version', '9.9.9');
  await page.click('button:has-text("Upload")');
  await expectText('.error', 'not a valid ESP32 application image');
});

const version = `1.2.${Date.now() % 100000}`;
await run('upload reaches 100 % and the release appears', async () => {
  await page.setInputFiles('#upload-file', values.image);
  await page.fill('#upload-version', version);
  await page.fill('#upload-share', '10');
  await page.click('button:has-text("Upload")');
  await expectText('.ok', `Uploaded ${version}`);
  const p = await page.locator('.progress progress');
  if ((await p.getAttribute('value')) !== (await p.getAttribute('max'))) throw new Error('progress bar not full');
  await expectText('.progress', '(100 %)');
  await expectText('td a', version);
});

await run('release: share, pause, resume', async () => {
  await page.click(`td a:text-is("${version}")`);
  await page.waitForSelector('h1');
  await page.fill('#share', '20');
  await page.click('text=Set share');
  await expectText('.facts dd', '20 %');
  await page.click('button:text-is("Pause")');
  await expectText('.state-line .badge', 'paused');
  await page.click('button:text-is("Resume")');
  await expectText('.state-line .badge', 'active');
});

await run('config: invalid JSON refused in the browser, valid saved', async () => {
  await page.goto(base + '/console/config');
  await page.fill('#pconfig', '{"interval": 5000,');
  await expectText('.json-editor .field-error', 'Not valid JSON');
  if (!(await page.locator('.json-editor button[type=submit]').first().isDisabled())) throw new Error('save enabled for invalid JSON');
  await page.fill('#pconfig', '{"interval": 6000}');
  await page.click('.json-editor button[type=submit]');
  await expectText('.json-editor [role=status]', 'Saved');
});

await run('device: block with confirmation, then unblock', async () => {
  await page.goto(base + '/console/devices/' + values.device);
  await page.click('button:text-is("Block device")');
  await page.click('.confirm button:text-is("Block device")');
  await expectText('.facts dd', 'blocked');
  await page.click('button:text-is("Unblock device")');
  await expectText('.facts dd', 'ok');
});

await run('devices: filters go into the URL, back and forward work', async () => {
  await page.goto(base + '/console/devices');
  await page.selectOption('#f-channel', 'beta');
  await page.click('button:text-is("Apply")');
  await page.waitForURL(/channel=beta/);
  await page.goBack();
  await page.waitForURL((u) => !u.search.includes('channel='));
  await page.goForward();
  await page.waitForURL(/channel=beta/);
  await page.waitForFunction(() => document.querySelector('#f-channel').value === 'beta', null, { timeout: 5000 });
});

await run('changelog: roll back after confirmation', async () => {
  await page.goto(base + '/console/changelog');
  const entry = page.locator('article', { has: page.locator(`h2 a:text-is("${version}")`) });
  await entry.locator('button:text-is("Roll back")').click();
  await entry.locator('.confirm button:text-is("Roll back")').click();
  await entry.locator('h2 .badge', { hasText: 'revoked' }).waitFor({ timeout: 5000 });
});

await run('audit shows each change', async () => {
  await page.goto(base + '/console/audit');
  for (const a of ['Key created', 'Release uploaded', 'Release revoked', 'Project config changed', 'Device blocked']) await expectText('td', a);
  await page.selectOption('#a-action', 'device.block');
  await page.click('button:text-is("Apply")');
  await page.waitForURL(/action=device.block/);
});

await run('Thai is kept across a reload', async () => {
  await page.selectOption('.lang select', 'th');
  await page.reload();
  await expectText('h1', 'ประวัติการแก้ไข');
  if ((await page.getAttribute('html', 'lang')) !== 'th') throw new Error('html lang is not th');
  await page.selectOption('.lang select', 'en');
});

await run('sign out ends the session', async () => {
  await page.click('button:text-is("Sign out")');
  await page.waitForURL(/\/console\/signin/);
  const answer = await page.evaluate(async () => (await fetch('/api/console/session')).json());
  if (answer.signed_in !== false) throw new Error('session still answers ' + JSON.stringify(answer));
  await page.goto(base + '/console/keys');
  await page.waitForURL(/\/console\/signin/);
});

await browser.close();
const unexpected = problems.filter((p) => !p.includes(': ') || p.startsWith('HTTP') || p.startsWith('console') || p.startsWith('page'));
console.log(problems.length ? `${problems.length} problems:\n  ${problems.join('\n  ')}` : 'every flow clean');
process.exit(problems.length || unexpected.length ? 1 : 0);
