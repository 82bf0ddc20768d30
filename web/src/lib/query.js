// Helpers for pages whose state lives in the URL query (so back/forward and
// shared links reproduce them).
import { queryString } from '../api/client.js';

// pick(query, names): the named, non-empty values of a query object.
export function pick(query, names) {
  const out = {};
  for (const n of names) if (query[n]) out[n] = query[n];
  return out;
}

// withQuery(base, params): base + "?a=1&b=2" without empty values.
export const withQuery = (base, params) => base + queryString(params);
