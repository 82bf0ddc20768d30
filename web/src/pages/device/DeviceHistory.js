// DeviceHistory: the device's update attempts, newest first
// (GET /api/admin/devices/{id}/attempts): its version history.
import { html } from '../../lib/html.js';
import { useI18n } from '../../i18n/index.js';
import { api } from '../../api/client.js';
import { useResource } from '../../hooks/useResource.js';
import { useLive } from '../../live/useLive.js';
import { Resource } from '../../components/Resource.js';
import { dateTime } from '../../lib/format.js';
import { releasePath } from '../../lib/paths.js';

export function DeviceHistory({ deviceId, current }) {
  const { t, lang } = useI18n();
  const attempts = useResource(
    (signal) => api('/api/admin/devices/' + encodeURIComponent(deviceId) + '/attempts', { signal }),
    [deviceId]
  );
  useLive(['ota'], attempts.reload);
  return html`<section aria-labelledby="history-h">
    <h2 id="history-h">${t('device.history')}</h2>
    <p>${t('device.runs_now', { version: current || t('common.unknown') })}</p>
    <${Resource} state=${attempts} context=${t('device.history_failed')}>${(data) => data.attempts.length
      ? html`<div class="table-wrap"><table>
          <caption class="visually-hidden">${t('device.history')}</caption>
          <thead><tr><th scope="col">${t('field.version')}</th><th scope="col">${t('device.from')}</th>
            <th scope="col">${t('device.started')}</th><th scope="col">${t('device.last_status')}</th>
            <th scope="col">${t('device.outcome')}</th><th scope="col">${t('device.ended')}</th></tr></thead>
          <tbody>${data.attempts.map((a) => html`<tr>
            <td><a href=${releasePath(a.release_id)}>${a.version}</a></td>
            <td>${a.from_version || t('common.unknown')}</td>
            <td>${dateTime(a.started_at, lang)}</td>
            <td>${t('ota.' + a.status)} <span class="muted">${dateTime(a.status_at, lang)}</span></td>
            <td>${a.outcome ? html`<span class=${'badge outcome-' + a.outcome}>${t('outcome.' + a.outcome)}</span>` : t('device.open')}</td>
            <td>${dateTime(a.ended_at, lang)}</td>
          </tr>`)}</tbody>
        </table></div>`
      : html`<p class="muted">${t('device.no_attempts')}</p>`}
    </${Resource}>
  </section>`;
}
