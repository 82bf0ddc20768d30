// DeviceConfig: the device's own config object, edited with validation, and the
// merged config the device receives (the server's "merged" field).
import { html } from '../../lib/html.js';
import { useI18n } from '../../i18n/index.js';
import { api } from '../../api/client.js';
import { useResource } from '../../hooks/useResource.js';
import { Resource } from '../../components/Resource.js';
import { JsonEditor } from '../../components/JsonEditor.js';
import { MergedConfig } from '../../components/MergedConfig.js';

export function DeviceConfig({ deviceId, headingLevel = 2 }) {
  const { t } = useI18n();
  const url = '/api/admin/devices/' + encodeURIComponent(deviceId) + '/config';
  const config = useResource((signal) => api(url, { signal }), [url]);
  const save = async (obj) => {
    await api(url, { method: 'PUT', body: obj });
    config.reload();
  };
  const H = 'h' + headingLevel;
  return html`<section aria-labelledby="dconfig-h" class="card">
    <${H} id="dconfig-h">${t('config.device_title', { id: deviceId })}</${H}>
    <${Resource} state=${config}>${(c) => html`
      <${JsonEditor} id=${'dconfig-' + deviceId} label=${t('config.own')} initial=${c.config} onSave=${save} />
      <${MergedConfig} merged=${c.merged} />`}
    </${Resource}>
  </section>`;
}
