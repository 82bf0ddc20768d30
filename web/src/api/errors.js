// ApiError: what a failed call to the apiota API turned into.
// status is the HTTP status (0 when the network failed), code the server's stable
// error code (docs/api.md "Errors"; "NETWORK" when no answer came), message the
// server's human-readable text. Both error body shapes the server family uses are
// read: {"error":"CODE","message":..} and {"success":false,"error":{"code","message"}}.
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

export function errorFromAnswer(status, body) {
  if (body && typeof body === 'object') {
    const e = body.error;
    if (e && typeof e === 'object') return new ApiError(status, e.code || 'HTTP_' + status, e.message || '');
    if (typeof e === 'string') return new ApiError(status, e, body.message || '');
  }
  return new ApiError(status, 'HTTP_' + status, typeof body === 'string' ? body.slice(0, 200) : '');
}
