// The browser tests' harness: the real apiota binary on a free loopback port
// with a temporary data folder, simulated devices over HTTP, firmware images
// from make_esp_image, and Debian's Chromium driven by playwright-core with
// every console error, page error, CSP violation and unexpected HTTP >= 400
// recorded as a problem.
//
// Settings come from the environment (tests/CMakeLists.txt sets them):
//   APIOTA_BINARY      the server binary (required)
//   APIOTA_IMAGE_TOOL  the make_esp_image tool (required)
//   APIOTA_SHOTS_DIR   where screenshots go (default: a temporary folder)
//   APIOTA_CHROMIUM    the browser (default /usr/bin/chromium)
// playwright-core and axe-core are the ones web/ installs (web/node_modules).
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../web');
const webRequire = createRequire(join(webDir, 'package.json'));
const { chromium } = webRequire('playwright-core');

export function setting(name, fallback) {
  const value = process.env[name] || fallback;
  if (!value) throw new Error(`${name} is not set (tests/browser/harness.mjs says what it needs)`);
  return value;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

// A running apiota: url, adminKey, log(); stop() ends it (SIGTERM, then
// SIGKILL after 10 s) and deletes its folder. Nothing is left behind.
export async function startServer() {
  const binary = setting('APIOTA_BINARY');
  const root = await mkdtemp(join(tmpdir(), 'apiota-browser-'));
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const data = join(root, `data-${attempt}`);
    const child = spawn(binary, ['serve', '--listen', `127.0.0.1:${port}`, '--data', data], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (b) => (output += b));
    child.stderr.on('data', (b) => (output += b));
    const exited = new Promise((r) => child.once('exit', (code, signal) => r(signal ? 128 : code)));
    let done = false;
    exited.then(() => (done = true));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 20000;
    let healthy = false;
    while (!done && !healthy && Date.now() < deadline) {
      healthy = await fetch(url + '/api/health').then((r) => r.ok, () => false);
      if (!healthy) await sleep(50);
    }
    const key = /admin key: (pk_live_[A-Za-z0-9]+)/.exec(output);
    if (healthy && key) {
      const stop = async () => {
        if (!done) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
          await exited;
          clearTimeout(timer);
        }
        await rm(root, { recursive: true, force: true });
      };
      // A test that dies or is interrupted takes its server with it.
      process.once('exit', () => done || child.kill('SIGKILL'));
      for (const signal of ['SIGINT', 'SIGTERM']) {
        process.once(signal, () => {
          if (!done) child.kill('SIGKILL');
          process.exit(128);
        });
      }
      return { url, port, adminKey: key[1], pid: child.pid, log: () => output, stop };
    }
    if (!done) {
      child.kill('SIGKILL');
      await exited;
    }
    if (attempt === 5 || !output.includes('in use')) {
      await rm(root, { recursive: true, force: true });
      throw new Error(`apiota did not start (healthy: ${healthy}, admin key printed: ${!!key}):\n${output}`);
    }
  }
}

// make_esp_image: a valid ESP32 application image of about `bytes` bytes
// carrying `version`, written into `folder`; answers its path.
export async function makeImage(folder, version, bytes) {
  const file = join(folder, `fw-${version}.bin`);
  await promisify(execFile)(setting('APIOTA_IMAGE_TOOL'), [file, version, String(bytes)]);
  return file;
}

// One HTTP call; answers {status, body} (body parsed as JSON when it is JSON).
export async function call(base, method, path, { body, headers = {}, form } = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { ...headers, ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
    body: form ?? (body !== undefined ? JSON.stringify(body) : undefined),
  });
  const text = await res.text();
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, body: parsed };
}

// call() that insists on a 2xx answer and answers the body.
export async function ok(base, method, path, options) {
  const res = await call(base, method, path, options);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export const bearer = (key) => ({ Authorization: 'Bearer ' + key });

// A simulated ESP32 speaking the device API.
export class Device {
  constructor(base, id, version) {
    this.base = base;
    this.id = id;
    this.secret = `secret-${id}-0123456789abcdef`;
    this.version = version;
  }

  register(provisioningKey) {
    return ok(this.base, 'POST', '/api/register', {
      body: { device_id: this.id, device_secret: this.secret, pk_key: provisioningKey, firmware_ver: this.version },
    });
  }

  // The check-update answer ({update:false} or the offer).
  checkUpdate() {
    const q = new URLSearchParams({ device_id: this.id, device_secret: this.secret, version: this.version });
    return ok(this.base, 'GET', '/api/check-update?' + q);
  }

  report(status, toVersion, message) {
    const body = { device_id: this.id, device_secret: this.secret, status, from_version: this.version, to_version: toVersion };
    if (message) body.message = message;
    return ok(this.base, 'POST', '/api/ota-log', { body });
  }
}

export async function shotsDir() {
  const dir = process.env.APIOTA_SHOTS_DIR || join(tmpdir(), 'apiota-browser-shots');
  await mkdir(dir, { recursive: true });
  return dir;
}

export async function axeSource() {
  return readFile(webRequire.resolve('axe-core/axe.min.js'), 'utf8');
}

// Debian's Chromium, headless; --no-sandbox because CI runs as root.
export function launchBrowser() {
  return chromium.launch({ executablePath: setting('APIOTA_CHROMIUM', '/usr/bin/chromium'), args: ['--no-sandbox'] });
}

// A browser context whose pages report problems: console errors and warnings,
// page errors, Content-Security-Policy violations (the document's
// securitypolicyviolation event, through an exposed binding) and any answer
// with HTTP >= 400. problems() answers what was recorded since the last call
// and forgets it.
export async function watchedContext(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  let found = [];
  await context.exposeBinding('__apiotaCspViolation', (_source, v) => {
    found.push(`CSP violation: ${v.directive} blocked ${v.blocked || 'inline'} in ${v.source || v.document}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__apiotaCspViolation({
        directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, document: e.documentURI,
      });
    });
  });
  context.on('page', (page) => {
    page.on('console', (m) => {
      // the answer itself is judged below, with its URL
      if (m.text().startsWith('Failed to load resource: the server responded with a status of')) return;
      if (m.type() === 'error' || m.type() === 'warning') found.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => found.push('page error: ' + e.message));
    page.on('response', (r) => {
      if (r.status() < 400) return;
      const u = new URL(r.url());
      found.push(`HTTP ${r.status()} ${r.request().method()} ${u.pathname}${u.search}`);
    });
  });
  return {
    context,
    problems: () => {
      const out = found;
      found = [];
      return out;
    },
  };
}

// publishFirmware: a make_esp_image image of `bytes` bytes carrying
// `version`, uploaded as a script would (POST /api/firmware/upload with the
// admin key) with the extra form `fields`; answers the new release.
export async function publishFirmware(test, version, bytes, fields = {}) {
  const form = new FormData();
  form.append('version', version);
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([await readFile(await makeImage(test.work, version, bytes))]), `fw-${version}.bin`);
  return ok(test.server.url, 'POST', '/api/firmware/upload', { form, headers: bearer(test.server.adminKey) });
}

// What every browser test file starts with: a work folder (`work`), the
// screenshot folder (`shots`), a running server, and — after `seed(test)`
// has filled the server — Chromium with one watched page (`browser`,
// `watch`, `page`). close() ends all of it, whatever was opened; call it
// from after().
export async function openConsoleTest(name, seed = async () => {}) {
  const opened = []; // how to end each thing opened, in opening order
  const test = {
    close: async () => {
      while (opened.length) await opened.pop()();
    },
  };
  try {
    test.work = await mkdtemp(join(tmpdir(), `apiota-browser-${name}-`));
    opened.push(() => rm(test.work, { recursive: true, force: true }));
    test.shots = await shotsDir();
    test.server = await startServer();
    opened.push(() => test.server.stop());
    await seed(test);
    test.browser = await launchBrowser();
    opened.push(() => test.browser.close());
    test.watch = await watchedContext(test.browser);
    test.page = await test.watch.context.newPage();
    return test;
  } catch (e) {
    await test.close();
    throw e;
  }
}
