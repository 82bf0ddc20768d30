// DeviceLog: the device's OTA reports as a timeline, newest first
// (GET /api/admin/devices/{id}/logs).
import { html } from '../../lib/html.js';
import { useI18n } from '../../i18n/index.js';
import { api } from '../../api/client.js';
import { useResource } from '../../hooks/useResource.js';
import { useLive } from '../../live/useLive.js';
import { Resource } from '../../components/Resource.js';
import { dateTime } from '../../lib/format.js';

export function DeviceLog({ deviceId }) {
  const { t, lang } = useI18n();
  const logs = useResource(
    (signal) => api('/api/admin/devices/' + encodeURIComponent(deviceId) + '/logs', { query: { limit: 200 }, signal }),
    [deviceId]
  );
  useLive(['ota'], logs.reload);
  return html`<section aria-labelledby="log-h">
    <h2 id="log-h">${t('device.log')}</h2>
    <${Resource} state=${logs}>${(data) => data.logs.length
      ? html`<ol class="timeline">${data.logs.map((e) => html`<li class=${'status-' + e.status}>
          <time datetime=${e.received_at}>${dateTime(e.received_at, lang)}</time>
          <strong>${t('ota.' + e.status)}</strong>
          <span>${e.from_version || '?'} → ${e.to_version || '?'}</span>
          ${e.message ? html`<span class="muted">${e.message}</span>` : null}
        </li>`)}</ol>`
      : html`<p class="muted">${t('device.no_logs')}</p>`}
    </${Resource}>
  </section>`;
}
