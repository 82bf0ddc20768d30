// uploadFirmware(): POST /api/firmware/upload as multipart/form-data through
// XMLHttpRequest, whose upload events give a real progress bar (fetch has none).
// fields: {file: File, version, channel, state, rollout_percent, notes}; empty
// values are left out. onProgress(sent, total) is called as bytes leave.
// Resolves with the server's answer (the new release); rejects with an ApiError.
import { ApiError, errorFromAnswer } from './errors.js';
import { notifyUnauthorized } from './client.js';

export function uploadFirmware(fields, onProgress) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) {
    if (k !== 'file' && v !== undefined && v !== null && v !== '') form.append(k, String(v));
  }
  form.append('file', fields.file, fields.file.name);
  const xhr = new XMLHttpRequest();
  const done = new Promise((resolve, reject) => {
    xhr.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    });
    xhr.addEventListener('load', () => {
      let body = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        body = xhr.responseText;
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body);
      else {
        if (xhr.status === 401) notifyUnauthorized();
        reject(errorFromAnswer(xhr.status, body));
      }
    });
    xhr.addEventListener('error', () => reject(new ApiError(0, 'NETWORK', '')));
    xhr.addEventListener('abort', () => reject(new ApiError(0, 'ABORTED', '')));
  });
  xhr.open('POST', '/api/firmware/upload');
  xhr.setRequestHeader('X-Apiota-Console', '1');
  xhr.setRequestHeader('Accept', 'application/json');
  xhr.send(form);
  return { done, abort: () => xhr.abort() };
}
