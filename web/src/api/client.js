// api(): the one way the console calls the apiota API.
// Every call is same-origin with the session cookie (credentials 'same-origin');
// a call other than GET/HEAD carries "X-Apiota-Console: 1" (the server's CSRF rule).
// Resolves with the parsed JSON body (null for an empty one); rejects with an
// ApiError. A 401 from any route but the session route also calls the handler set
// by onUnauthorized() (the app sends the user to the sign-in page).
import { ApiError, errorFromAnswer } from './errors.js';

let unauthorizedHandler = () => {};

export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

export function notifyUnauthorized() {
  unauthorizedHandler();
}

export function queryString(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

export async function api(path, { method = 'GET', body, query, signal } = {}) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-Apiota-Console'] = '1';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(path + queryString(query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', e.message);
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!res.ok) {
    if (res.status === 401 && !path.startsWith('/api/console/session')) unauthorizedHandler();
    throw errorFromAnswer(res.status, data);
  }
  return data;
}
