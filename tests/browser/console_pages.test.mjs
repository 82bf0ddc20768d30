// Every console page in Debian's Chromium against the real apiota binary, in
// English and in Thai: axe-core finds no serious or critical accessibility
// violation, the page shows no console error, page error, CSP violation or
// failed request, and a full-page screenshot of it is saved (the folder is
// printed). The server is first filled over HTTP (keys, devices on every
// channel, two releases, reports, configs, a blocked device) so that every
// page has something to show.
//   APIOTA_BINARY=build/apiota APIOTA_IMAGE_TOOL=build/tests/make_esp_image node --test tests/browser/
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  Device, axeSource, bearer, ok, openConsoleTest, publishFirmware,
} from './harness.mjs';

let opened;
let server;
let watch;
let page;
let shots;
let axe;
let releaseId;
let device; // a device that installed 1.1.0: its page has history and a log

// Something on every page: devices on three channels, tagged, one blocked,
// one with its own config; 1.0.0 everywhere and 1.1.0 in a 50 % rollout that
// some devices installed, one failed and one is still flashing.
async function seed(t) {
  server = t.server;
  const admin = bearer(server.adminKey);
  const provision = await ok(server.url, 'POST', '/api/admin/keys', { body: { role: 'provision', label: 'factory line 1' }, headers: admin });
  await publishFirmware(t, '1.0.0', 200000, { notes: 'First field release.' });
  const channels = ['stable', 'stable', 'stable', 'beta', 'dev'];
  const devices = [];
  for (let i = 1; i <= 36; i++) { // ~22 on stable: P(none offered at 50 %) ≈ 2e-7
    const d = new Device(server.url, `esp32-page-${String(i).padStart(3, '0')}`, '1.0.0');
    await d.register(provision.key);
    const channel = channels[i % channels.length];
    if (channel !== 'stable') await ok(server.url, 'PUT', `/api/admin/devices/${d.id}/channel`, { body: { channel }, headers: admin });
    if (i % 3 === 0) await ok(server.url, 'PUT', `/api/admin/devices/${d.id}/tags`, { body: { tags: ['canary', 'floor-2'] }, headers: admin });
    if (channel === 'stable') devices.push(d);
  }
  const release = await publishFirmware(t, '1.1.0', 200000, { rollout_percent: '50', notes: 'Sensor calibration fix; faster Wi-Fi reconnect.' });
  releaseId = release.id;
  await ok(server.url, 'PUT', '/api/admin/config', { body: { interval: 300, log_level: 'info' }, headers: admin });
  let n = 0;
  for (const d of devices) {
    const answer = await d.checkUpdate();
    if (!answer.update) continue;
    await d.report('downloading', answer.version);
    if (n === 1) await d.report('failed', answer.version, 'sha256 mismatch');
    else if (n === 2) await d.report('flashing', answer.version);
    else {
      await d.report('done', answer.version);
      device ??= d.id;
    }
    n++;
  }
  assert.ok(device, 'a device installed 1.1.0');
  await ok(server.url, 'PUT', `/api/admin/devices/${device}/config`, { body: { log_level: 'debug' }, headers: admin });
  await ok(server.url, 'POST', '/api/admin/devices/esp32-page-034/block', { body: { reason: 'returned for repair' }, headers: admin });
}

before(async () => {
  axe = await axeSource();
  opened = await openConsoleTest('pages', seed);
  ({ server, watch, page, shots } = opened);
  console.log(`screenshots: ${shots}`);
});

after(() => opened?.close());

// Waits for the page's heading and for every section's data, then runs axe
// and saves the screenshot; answers what is wrong.
async function checkPage(name) {
  await page.locator('h1').first().waitFor();
  await page.waitForFunction(() => ![...document.querySelectorAll('[role=status]')]
    .some((e) => /^(Loading…|กำลังโหลด…)$/.test(e.textContent.trim())));
  await page.evaluate(axe);
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  const problems = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')})`);
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
  return [...problems, ...watch.problems()];
}

const PAGES = [
  ['overview', '/console/'],
  ['devices', '/console/devices'],
  ['devices-filtered', '/console/devices?channel=stable&sort=last_seen_at&order=desc'],
  ['device', () => `/console/devices/${device}`],
  ['releases', '/console/releases'],
  ['release', () => `/console/releases/${releaseId}`],
  ['keys', '/console/keys'],
  ['config', () => `/console/config?device=${device}`],
  ['changelog', '/console/changelog'],
  ['audit', '/console/audit'],
  ['not-found', '/console/no-such-page'],
];

test('sign-in page (signed out)', async () => {
  await page.goto(server.url + '/console/');
  await page.waitForURL(/\/console\/signin/);
  assert.deepEqual(await checkPage('signin'), []);
  await page.fill('#signin-key', server.adminKey);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/console/signin'));
});

for (const [name, url] of PAGES) {
  test(`${name} (English)`, async () => {
    await page.goto(server.url + (typeof url === 'function' ? url() : url));
    assert.deepEqual(await checkPage(name), []);
  });
}

test('switch to Thai', async () => {
  await page.goto(server.url + '/console/');
  await page.locator('h1').first().waitFor();
  await page.selectOption('.lang select', 'th');
  await page.locator('h1', { hasText: 'ภาพรวม' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'th');
});

for (const [name, url] of PAGES) {
  test(`${name} (Thai)`, async () => {
    await page.goto(server.url + (typeof url === 'function' ? url() : url));
    assert.equal(await page.getAttribute('html', 'lang'), 'th');
    assert.deepEqual(await checkPage(`${name}-th`), []);
  });
}

test('sign-in page in Thai', async () => {
  await page.locator('button', { hasText: 'ออกจากระบบ' }).click();
  await page.waitForURL(/\/console\/signin/);
  assert.deepEqual(await checkPage('signin-th'), []);
});

// The watch itself: an inline script, which the console's policy forbids,
// is reported (so a clean page above means no violation happened).
test('a CSP violation is caught', async () => {
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__inlineRan = true';
    document.body.append(s);
  });
  await page.waitForTimeout(200);
  assert.equal(await page.evaluate(() => window.__inlineRan), undefined, 'the inline script was blocked');
  assert.ok(watch.problems().some((p) => p.startsWith('CSP violation: script-src')), 'the violation was reported');
});
