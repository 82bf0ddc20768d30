// Development server for the console (node, no dependencies):
//   node web/tools/dev-server.mjs --dir OUT --listen 127.0.0.1:5173 --api http://127.0.0.1:8080 [--fake-session]
// Serves a build of the console (node web/build.mjs --outdir OUT) the way the
// apiota binary does (GET / -> /console/, index.html for every console path,
// immutable hashed assets, the console's CSP and security headers) and proxies
// /api/ to a running apiota.
//
// --fake-session (DEVELOPMENT ONLY, for servers without the console session
// routes): the dev server answers /api/console/session itself. Signing in checks
// the admin key against the real server, keeps it in this process's memory and
// hands the browser a random cookie; proxied /api/ calls carrying that cookie get
// "Authorization: Bearer <key>" added. It enforces the contract's CSRF header on
// writes, and answers /api/admin/events with an idle event stream when the real
// server has no such route. Never expose this server beyond loopback.
import { createServer, request as httpRequest } from 'node:http';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: 'web/dist' },
    listen: { type: 'string', default: '127.0.0.1:5173' },
    api: { type: 'string', default: 'http://127.0.0.1:8080' },
    'fake-session': { type: 'boolean', default: false },
  },
});
const root = resolve(values.dir);
const upstream = new URL(values.api);
const [host, port] = values.listen.split(':');
const fake = values['fake-session'];

const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};
const TYPES = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.html': 'text/html; charset=utf-8' };

const sessions = new Map(); // cookie token -> {key, session}

function sendJson(res, status, body, headers = {}) {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data), ...SECURITY_HEADERS, ...headers });
  res.end(data);
}

const errorBody = (code, message, status) => ({ error: code, message, status });

function cookieToken(req) {
  const m = /(?:^|;\s*)apiota_session=([^;]+)/.exec(req.headers.cookie || '');
  return m ? m[1] : null;
}

async function serveStatic(req, res, pathname) {
  if (pathname === '/') {
    res.writeHead(302, { Location: '/console/' });
    return res.end();
  }
  if (pathname.startsWith('/console/assets/')) {
    const name = pathname.slice('/console/assets/'.length);
    const file = normalize(join(root, 'assets', name));
    if (name.includes('/') || !file.startsWith(join(root, 'assets'))) return sendJson(res, 404, errorBody('NOT_FOUND', 'no such asset', 404));
    try {
      const data = await readFile(file);
      res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream', 'Cache-Control': 'public, max-age=31536000, immutable', ...SECURITY_HEADERS });
      return res.end(data);
    } catch {
      return sendJson(res, 404, errorBody('NOT_FOUND', 'no such asset', 404));
    }
  }
  if (pathname === '/console' || pathname.startsWith('/console/')) {
    const data = await readFile(join(root, 'index.html'));
    res.writeHead(200, { 'Content-Type': TYPES['.html'], 'Cache-Control': 'no-cache', ...SECURITY_HEADERS });
    return res.end(data);
  }
  return false;
}

function readBody(req) {
  return new Promise((ok, fail) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => ok(Buffer.concat(chunks).toString('utf8')));
    req.on('error', fail);
  });
}

function upstreamJson(path, key) {
  return new Promise((ok, fail) => {
    const r = httpRequest(new URL(path, upstream), { headers: { Authorization: 'Bearer ' + key, Accept: 'application/json' } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        let body = null;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          body = null;
        }
        ok({ status: res.statusCode, body });
      });
    });
    r.on('error', fail);
    r.end();
  });
}

async function fakeSession(req, res) {
  const token = cookieToken(req);
  if (req.method === 'GET') {
    const s = token && sessions.get(token);
    return sendJson(res, 200, s ? s.session : { signed_in: false });
  }
  if (req.method === 'DELETE') {
    if (token) sessions.delete(token);
    return sendJson(res, 200, { success: true }, { 'Set-Cookie': 'apiota_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0' });
  }
  if (req.method !== 'POST') return sendJson(res, 405, errorBody('METHOD_NOT_ALLOWED', 'method not allowed', 405));
  let key;
  try {
    key = JSON.parse(await readBody(req)).key;
  } catch {
    return sendJson(res, 400, errorBody('INVALID_JSON', 'body is not a JSON object', 400));
  }
  if (!key) return sendJson(res, 400, errorBody('MISSING_PARAMETER', 'key is required', 400));
  const check = await upstreamJson('/api/admin/keys', key);
  if (check.status !== 200) return sendJson(res, check.status, check.body || errorBody('UNAUTHORIZED', 'key refused', check.status));
  const own = check.body.keys.find((k) => !k.revoked_at && key.startsWith(String(k.hint).replace(/\.+$/, '')));
  const session = {
    signed_in: true,
    key_id: own ? own.id : 'unknown',
    project_id: own ? own.project_id : 'default',
    label: own ? own.label || '' : '',
    expires_at: new Date(Date.now() + 12 * 3600 * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
  };
  const t = randomBytes(32).toString('base64url');
  sessions.set(t, { key, session });
  return sendJson(res, 201, session, { 'Set-Cookie': `apiota_session=${t}; Path=/; HttpOnly; SameSite=Strict; Max-Age=43200` });
}

function idleEventStream(res) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
  res.write(': dev-server: the API server has no event stream yet\n\n');
  const ping = setInterval(() => res.write(': ping\n\n'), 15000);
  res.on('close', () => clearInterval(ping));
}

function proxy(req, res, pathname) {
  const headers = { ...req.headers, host: upstream.host };
  if (fake) {
    const s = sessions.get(cookieToken(req));
    if (s && !headers.authorization) {
      if (req.method !== 'GET' && req.method !== 'HEAD' && req.headers['x-apiota-console'] !== '1') {
        return sendJson(res, 403, errorBody('FORBIDDEN', 'cross-site request refused', 403));
      }
      headers.authorization = 'Bearer ' + s.key;
    }
    delete headers.cookie;
  }
  const up = httpRequest(new URL(req.url, upstream), { method: req.method, headers }, (answer) => {
    if (fake && pathname === '/api/admin/events' && answer.statusCode === 404) {
      answer.resume();
      return idleEventStream(res);
    }
    res.writeHead(answer.statusCode, answer.headers);
    answer.pipe(res);
  });
  up.on('error', (e) => sendJson(res, 502, errorBody('BAD_GATEWAY', 'apiota is not reachable: ' + e.message, 502)));
  req.pipe(up);
}

createServer(async (req, res) => {
  const { pathname } = new URL(req.url, 'http://localhost');
  try {
    if (fake && pathname === '/api/console/session') return await fakeSession(req, res);
    if (pathname.startsWith('/api/')) return proxy(req, res, pathname);
    if ((await serveStatic(req, res, pathname)) === false) sendJson(res, 404, errorBody('NOT_FOUND', 'no such route', 404));
  } catch (e) {
    sendJson(res, 500, errorBody('INTERNAL_ERROR', e.message, 500));
  }
}).listen(Number(port), host, () => {
  console.log(`console on http://${values.listen}/console/ (files: ${root}; API: ${upstream.origin}${fake ? '; FAKE SESSIONS, development only' : ''})`);
});
