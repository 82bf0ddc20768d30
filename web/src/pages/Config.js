// Config: the project's default config object, and one device's own config
// (chosen by id, kept in the URL as ?device=) with the merged result.
import { html } from '../lib/html.js';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { useI18n } from '../i18n/index.js';
import { api } from '../api/client.js';
import { useResource } from '../hooks/useResource.js';
import { Resource } from '../components/Resource.js';
import { PageTitle } from '../components/PageTitle.js';
import { JsonEditor } from '../components/JsonEditor.js';
import { DeviceConfig } from './device/DeviceConfig.js';
import { dateTime } from '../lib/format.js';
import { path } from '../lib/paths.js';
import { withQuery } from '../lib/query.js';

export function Config() {
  const { t, lang } = useI18n();
  const { query, route } = useLocation();
  const project = useResource((signal) => api('/api/admin/config', { signal }), []);
  const [device, setDevice] = useState(query.device || '');
  useEffect(() => setDevice(query.device || ''), [query.device]);
  const save = async (obj) => {
    await api('/api/admin/config', { method: 'PUT', body: obj });
    project.reload();
  };
  return html`<${PageTitle} text=${t('config.title')} />
    <p>${t('config.intro')}</p>
    <section aria-labelledby="pconfig-h" class="card">
      <h2 id="pconfig-h">${t('config.project_title')}</h2>
      <${Resource} state=${project}>${(c) => html`
        <p class="muted">${t('config.updated', { time: dateTime(c.updated_at, lang) })}</p>
        <${JsonEditor} id="pconfig" label=${t('config.project_json')} initial=${c.config} onSave=${save} />`}
      </${Resource}>
    </section>
    <form class="inline-form" role="search" aria-label=${t('config.pick_device')}
      onSubmit=${(e) => { e.preventDefault(); route(withQuery(path('/config'), { device: device.trim() })); }}>
      <div class="field">
        <label for="config-device">${t('config.device_id')}</label>
        <input id="config-device" value=${device} autocomplete="off" onInput=${(e) => setDevice(e.currentTarget.value)} />
      </div>
      <button type="submit">${t('config.open_device')}</button>
    </form>
    ${query.device ? html`<${DeviceConfig} key=${query.device} deviceId=${query.device} />` : null}`;
}
