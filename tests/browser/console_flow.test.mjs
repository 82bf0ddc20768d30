// The console's end-to-end scenario (issue 13, item 8) in Debian's Chromium
// against the real apiota binary: sign in; create a provisioning key in the
// Keys page; register simulated devices with it over HTTP; upload firmware in
// the Releases page (progress bar to 100 %); start a 10 % rollout; devices poll
// and report while the release page stays open and its counts move live;
// pause; roll back from the changelog; edit the config with one invalid
// attempt refused; block a device; the audit page shows each change; sign out
// and the old cookie is dead. Any console error, page error, CSP violation or
// unexpected HTTP >= 400 fails the step it happened in; a failed step skips
// the rest (they build on it).
//   APIOTA_BINARY=build/apiota APIOTA_IMAGE_TOOL=build/tests/make_esp_image node --test tests/browser/
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  Device, bearer, call, makeImage, ok, openConsoleTest, publishFirmware,
} from './harness.mjs';

const DEVICES = 120; // at a 10 % share, P(no device in the cohort) = 0.9^120 ≈ 3e-6
const BASE_VERSION = '1.0.0';
const NEW_VERSION = '1.1.0';

let opened;
let server;
let watch;
let page;
let shots;
let newImage;
let provisioningKey;
let releaseId;
let cookie;
let failed = false;
const devices = [];
const offered = [];

before(async () => {
  opened = await openConsoleTest('flow', async (t) => {
    await publishFirmware(t, BASE_VERSION, 200000); // the release a rollback goes back to
    newImage = await makeImage(t.work, NEW_VERSION, 1500000);
  });
  ({ server, watch, page, shots } = opened);
});

after(() => opened?.close());

function step(name, fn) {
  test(name, async (t) => {
    if (failed) return t.skip('an earlier step failed');
    try {
      await fn();
      assert.deepEqual(watch.problems(), [], 'the browser reported problems');
    } catch (e) {
      failed = true;
      const file = join(shots, `flow-failed-${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => {});
      console.log(`screenshot of the failure: ${file}; browser problems: ${JSON.stringify(watch.problems())}`);
      throw e;
    }
  });
}

const waitText = (selector, hasText, timeout = 5000) => page.locator(selector, { hasText }).first().waitFor({ timeout });
const count = async (field) => Number((await page.locator(`.counts .count-${field} dd`).textContent()).replace(/\D/g, ''));
const shot = async (name) => page.screenshot({ path: join(shots, `flow-${name}.png`), fullPage: true });

// A mark in the page's JavaScript world: gone if the page reloads.
const markPage = () => page.evaluate(() => { window.__apiotaNoReload = true; });
const stillSamePage = () => page.evaluate(() => window.__apiotaNoReload === true);

step('sign in', async () => {
  await page.goto(server.url + '/');
  await page.waitForURL(/\/console\/signin\?next=/);
  await page.fill('#signin-key', server.adminKey);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => u.pathname === '/console/');
  await page.locator('button', { hasText: 'Sign out' }).waitFor();
  cookie = (await watch.context.cookies()).find((c) => c.name === 'apiota_session');
  assert.ok(cookie && cookie.httpOnly && cookie.sameSite === 'Strict', 'an HttpOnly, SameSite=Strict session cookie');
});

step('create a provisioning key in the Keys page; it is shown once', async () => {
  await page.click('nav a[href="/console/keys"]');
  await page.waitForURL(/\/console\/keys$/);
  await page.selectOption('#key-role', 'provision');
  await page.fill('#key-label', 'browser test line');
  await page.click('button:text-is("Create key")');
  provisioningKey = (await page.locator('#new-key').textContent()).trim();
  assert.match(provisioningKey, /^pk_live_[A-Za-z0-9]+$/);
  await waitText('td', 'browser test line');
});

step(`register ${DEVICES} simulated devices with it over HTTP`, async () => {
  for (let i = 0; i < DEVICES; i++) devices.push(new Device(server.url, `esp32-e2e-${String(i).padStart(3, '0')}`, BASE_VERSION));
  for (let i = 0; i < devices.length; i += 10) await Promise.all(devices.slice(i, i + 10).map((d) => d.register(provisioningKey)));
  const list = await ok(server.url, 'GET', '/api/admin/devices?limit=1', { headers: bearer(server.adminKey) });
  assert.equal(list.total, DEVICES);
});

step('upload firmware in the Releases page: the progress bar reaches 100 %', async () => {
  await page.click('nav a[href="/console/releases"]');
  await page.waitForURL(/\/console\/releases$/);
  await page.setInputFiles('#upload-file', newImage);
  await page.fill('#upload-version', NEW_VERSION);
  await page.fill('#upload-share', '0');
  await page.fill('#upload-notes', 'Sensor calibration fix.');
  await page.click('button[type=submit]:text-is("Upload")');
  await waitText('.ok', `Uploaded ${NEW_VERSION}`, 20000);
  const bar = page.locator('.progress progress');
  const [value, max] = [await bar.getAttribute('value'), await bar.getAttribute('max')];
  assert.equal(value, max, 'the progress bar is full');
  assert.ok(Number(max) >= 1500000, `the bar counts the file's bytes (max ${max})`);
  await waitText('.progress', '(100 %)');
  await shot('upload-done');
  const link = page.locator('td a', { hasText: NEW_VERSION });
  releaseId = Number((await link.getAttribute('href')).split('/').pop());
  assert.ok(releaseId > 0);
});

step('start a 10 % rollout from the release page', async () => {
  await page.click(`td a:text-is("${NEW_VERSION}")`);
  await page.waitForURL(new RegExp(`/console/releases/${releaseId}$`));
  // At share 0 nobody is offered it.
  assert.deepEqual(await devices[0].checkUpdate(), { update: false });
  await page.fill('#share', '10');
  await page.click('button:text-is("Set share")');
  await waitText('.facts dd', '10 %');
});

step('devices poll and report; the counts move live while the page stays open', async () => {
  await page.locator('.counts .count-eligible dd').waitFor();
  await markPage();
  const before = { offered: await count('offered'), installed: await count('installed'), failed: await count('failed') };
  assert.deepEqual(before, { offered: 0, installed: 0, failed: 0 });
  for (const d of devices) {
    const answer = await d.checkUpdate();
    if (answer.update) {
      assert.equal(answer.version, NEW_VERSION);
      offered.push(d);
    }
  }
  assert.ok(offered.length > 0 && offered.length < DEVICES / 3, `a 10 % cohort was offered (${offered.length})`);
  for (const d of offered) await d.report('downloading', NEW_VERSION);
  await page.waitForFunction((n) => Number(document.querySelector('.counts .count-offered dd').textContent.replace(/\D/g, '')) === n,
    offered.length, { timeout: 10000 });
  assert.equal(await count('in_progress'), offered.length);
  // One fails; the others install (one failure never trips the default safety).
  const [unlucky, ...lucky] = offered;
  await unlucky.report('failed', NEW_VERSION, 'flash write error');
  for (const d of lucky) {
    await d.report('done', NEW_VERSION);
    d.version = NEW_VERSION;
  }
  await page.waitForFunction((n) => Number(document.querySelector('.counts .count-installed dd').textContent.replace(/\D/g, '')) === n,
    lucky.length, { timeout: 10000 });
  assert.equal(await count('failed'), 1);
  assert.equal(await count('in_progress'), 0);
  assert.ok(await stillSamePage(), 'the counts changed without a reload');
  await shot('release-live');
});

step('pause the release', async () => {
  await page.click('button:text-is("Pause")');
  await waitText('.state-line .badge', 'paused');
  const release = await ok(server.url, 'GET', `/api/admin/releases/${releaseId}`, { headers: bearer(server.adminKey) });
  assert.equal(release.state, 'paused');
});

step('open the changelog and roll back (after a confirmation)', async () => {
  await page.click('nav a[href="/console/changelog"]');
  await page.waitForURL(/\/console\/changelog$/);
  const entry = page.locator('article', { has: page.locator(`h2 a:text-is("${NEW_VERSION}")`) });
  await entry.locator('button:text-is("Roll back")').click();
  const confirm = entry.locator('.confirm');
  await confirm.waitFor();
  assert.match(await confirm.textContent(), new RegExp(`Revoke ${NEW_VERSION.replace(/\./g, '\\.')}`));
  await confirm.locator('button:text-is("Roll back")').click();
  await entry.locator('h2 .badge', { hasText: 'revoked' }).waitFor({ timeout: 5000 });
  // A device that installed it is now offered the base release back.
  if (offered.length > 1) {
    const back = await offered[1].checkUpdate();
    assert.equal(back.update, true);
    assert.equal(back.version, BASE_VERSION);
    assert.equal(back.rollback, true);
  }
});

step('edit the project config: an invalid attempt is refused, a valid one saved', async () => {
  await page.click('nav a[href="/console/config"]');
  await page.waitForURL(/\/console\/config$/);
  const puts = [];
  const onRequest = (r) => r.method() === 'PUT' && puts.push(r.url());
  page.on('request', onRequest);
  await page.fill('#pconfig', '{"interval": 5000,');
  await waitText('.json-editor .field-error', 'Not valid JSON');
  assert.ok(await page.locator('.json-editor button[type=submit]').first().isDisabled(), 'save is refused for invalid JSON');
  // Submitting the form another way (Enter, a script) is refused too.
  await page.evaluate(() => document.querySelector('#pconfig').form.requestSubmit());
  await waitText('.json-editor .field-error', 'Not valid JSON');
  assert.deepEqual(puts, [], 'nothing was sent');
  await page.fill('#pconfig', '{"interval": 6000, "log_level": "info"}');
  await page.click('.json-editor button[type=submit]');
  await waitText('.json-editor [role=status]', 'Saved');
  page.off('request', onRequest);
  assert.equal(puts.length, 1);
  const config = await ok(server.url, 'GET', '/api/admin/config', { headers: bearer(server.adminKey) });
  assert.deepEqual(config.config, { interval: 6000, log_level: 'info' });
});

step('block a device', async () => {
  const victim = devices[devices.length - 1];
  await page.goto(`${server.url}/console/devices/${victim.id}`);
  await page.click('button:text-is("Block device")');
  await page.click('.confirm button:text-is("Block device")');
  await waitText('.facts dd', 'blocked');
  const refused = await call(server.url, 'GET', `/api/check-update?${new URLSearchParams({ device_id: victim.id, device_secret: victim.secret, version: victim.version })}`);
  assert.equal(refused.status, 403);
  assert.equal(refused.body.error, 'DEVICE_BLOCKED');
});

step('the audit page shows each change', async () => {
  await page.click('nav a[href="/console/audit"]');
  await page.waitForURL(/\/console\/audit$/);
  for (const action of ['Key created', 'Release uploaded', 'Release edited', 'Release paused', 'Release revoked',
    'Project config changed', 'Device blocked']) {
    await waitText('td', action);
  }
  await shot('audit');
});

step('sign out: the session is dead on the server', async () => {
  await page.click('button:text-is("Sign out")');
  await page.waitForURL(/\/console\/signin/);
  const headers = { Cookie: `${cookie.name}=${cookie.value}` };
  const admin = await call(server.url, 'GET', '/api/admin/project', { headers });
  assert.equal(admin.status, 401, 'the old cookie is refused by an admin route');
  assert.equal(admin.body.error, 'UNAUTHORIZED');
  const session = await call(server.url, 'GET', '/api/console/session', { headers });
  assert.deepEqual(session, { status: 200, body: { signed_in: false } });
  await page.goto(server.url + '/console/keys');
  await page.waitForURL(/\/console\/signin\?next=/);
});
