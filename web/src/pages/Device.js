// Device: one device: its record, version history, OTA log, channel and tags,
// pin, config, and block/unblock.
import { html } from '../lib/html.js';
import { useI18n } from '../i18n/index.js';
import { api } from '../api/client.js';
import { useResource } from '../hooks/useResource.js';
import { useLive } from '../live/useLive.js';
import { Resource } from '../components/Resource.js';
import { PageTitle } from '../components/PageTitle.js';
import { Facts } from '../components/Facts.js';
import { DeviceHistory } from './device/DeviceHistory.js';
import { DeviceLog } from './device/DeviceLog.js';
import { DeviceGrouping } from './device/DeviceGrouping.js';
import { DevicePin } from './device/DevicePin.js';
import { DeviceBlock } from './device/DeviceBlock.js';
import { DeviceConfig } from './device/DeviceConfig.js';
import { dateTime } from '../lib/format.js';
import { path, releasePath } from '../lib/paths.js';

export function Device({ id }) {
  const { t, lang } = useI18n();
  const device = useResource((signal) => api('/api/admin/devices/' + encodeURIComponent(id), { signal }), [id]);
  useLive(['device', 'ota'], device.reload);
  return html`<p class="crumbs"><a href=${path('/devices')}>${t('nav.devices')}</a></p>
    <${PageTitle} text=${t('device.title', { id })} />
    <${Resource} state=${device}>${(d) => html`
      <${Facts} items=${[
        [t('field.channel'), t('channel.' + d.channel)],
        [t('field.firmware'), d.firmware_version || t('common.unknown')],
        [t('field.registered'), dateTime(d.registered_at, lang)],
        [t('field.last_seen'), d.last_seen_at ? dateTime(d.last_seen_at, lang) : t('devices.never_seen')],
        [t('device.address'), d.last_address || '—'],
        [t('field.status'), d.blocked ? t('devices.is_blocked') : t('devices.ok')],
        [t('device.updating_now'), d.update_attempt
          ? html`<a href=${releasePath(d.update_attempt.release_id)}>${d.update_attempt.version}</a> (${t('ota.' + d.update_attempt.status)})`
          : t('common.none')],
        [t('device.rolled_back_from'), d.rolled_back_release_ids.length
          ? d.rolled_back_release_ids.map((r) => html`<a href=${releasePath(r)}>#${r}</a> `)
          : t('common.none')],
      ]} />
      <div class="columns">
        <${DeviceGrouping} device=${d} onChanged=${device.reload} />
        <${DevicePin} device=${d} />
        <${DeviceBlock} device=${d} onChanged=${device.reload} />
      </div>
      <${DeviceHistory} deviceId=${id} current=${d.firmware_version} />
      <${DeviceLog} deviceId=${id} />
      <${DeviceConfig} deviceId=${id} />`}
    </${Resource}>`;
}
