// Fills a development apiota with something to look at (node, no dependencies):
//   node web/tools/seed-dev.mjs --api http://127.0.0.1:8080 --key <admin key> --image fw.bin [--devices 40]
// Creates a provisioning key, registers devices on all three channels, uploads the
// image as release 1.1.0 at a 25 % share, and lets the devices poll and report
// (some succeed, some fail, some stay in the middle). For local development only.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { api: { type: 'string' }, key: { type: 'string' }, image: { type: 'string' }, devices: { type: 'string', default: '40' } },
});
if (!values.api || !values.key || !values.image) {
  console.error('usage: node web/tools/seed-dev.mjs --api URL --key ADMIN_KEY --image FILE [--devices N]');
  process.exit(2);
}
const api = values.api.replace(/\/$/, '');
const admin = { Authorization: 'Bearer ' + values.key };

async function call(method, path, body, headers = {}) {
  const res = await fetch(api + path, {
    method,
    headers: { ...headers, ...(body && !(body instanceof FormData) ? { 'Content-Type': 'application/json' } : {}) },
    body: body instanceof FormData ? body : body ? JSON.stringify(body) : undefined,
  });
  const data = await res.json().catch(() => null);
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(data)}`);
  return data;
}

const provision = await call('POST', '/api/admin/keys', { role: 'provision', label: 'factory line 1' }, admin);
const n = Number(values.devices);
const channels = ['stable', 'stable', 'stable', 'beta', 'dev'];
const devices = [];
for (let i = 0; i < n; i++) {
  const id = `esp32-dev-${String(i).padStart(3, '0')}`;
  const secret = `devsecret-${i}-abcdefghijkl`;
  const version = i % 7 === 0 ? '0.9.0' : '1.0.0';
  await call('POST', '/api/register', { device_id: id, device_secret: secret, pk_key: provision.key, firmware_ver: version });
  const channel = channels[i % channels.length];
  if (channel !== 'stable') await call('PUT', `/api/admin/devices/${id}/channel`, { channel }, admin);
  if (i % 4 === 0) await call('PUT', `/api/admin/devices/${id}/tags`, { tags: ['canary'] }, admin);
  devices.push({ id, secret, version });
}

const form = new FormData();
form.append('version', '1.1.0');
form.append('channel', 'stable');
form.append('rollout_percent', '25');
form.append('notes', 'Sensor calibration fix; faster Wi-Fi reconnect.');
form.append('file', new Blob([await readFile(values.image)]), 'fw-1.1.0.bin');
await call('POST', '/api/firmware/upload', form, admin);
await call('PUT', '/api/admin/config', { interval: 5000, log_level: 'info', wifi: { retries: 3 } }, admin);

let offered = 0;
for (const [i, d] of devices.entries()) {
  const q = `device_id=${d.id}&device_secret=${d.secret}&version=${d.version}`;
  const answer = await call('GET', '/api/check-update?' + q);
  if (!answer.update) continue;
  offered++;
  const report = (status, message) =>
    call('POST', '/api/ota-log', { device_id: d.id, device_secret: d.secret, status, from_version: d.version, to_version: answer.version, message });
  await report('downloading');
  if (i % 5 === 1) await report('failed', 'sha256 mismatch');
  else if (i % 5 !== 2) await report('done');
}
console.log(`seeded ${n} devices; ${offered} were offered 1.1.0`);
