// DevicePin: the pin that holds this device at one version (GET/PUT/DELETE
// /api/admin/pins), and the tag pins that reach it through its tags.
import { html } from '../../lib/html.js';
import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.js';
import { api } from '../../api/client.js';
import { useResource } from '../../hooks/useResource.js';
import { useAction } from '../../hooks/useAction.js';
import { Resource } from '../../components/Resource.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { Field } from '../../components/Field.js';

export function DevicePin({ device }) {
  const { t } = useI18n();
  const pins = useResource((signal) => api('/api/admin/pins', { signal }), []);
  const [version, setVersion] = useState('');
  const set = useAction(async () => {
    await api('/api/admin/pins', { method: 'PUT', body: { device_id: device.device_id, version: version.trim() } });
    setVersion('');
    pins.reload();
  });
  const clear = useAction(async () => {
    await api('/api/admin/pins', { method: 'DELETE', query: { device_id: device.device_id } });
    pins.reload();
  });
  return html`<section aria-labelledby="pin-h" class="card">
    <h2 id="pin-h">${t('device.pin')}</h2>
    <${Resource} state=${pins}>${(data) => {
      const own = data.pins.find((p) => p.device_id === device.device_id);
      const viaTags = data.pins.filter((p) => p.tag && (device.tags || []).includes(p.tag));
      return html`
        <p>${own ? t('device.pinned_at', { version: own.version }) : t('device.not_pinned')}</p>
        ${viaTags.map((p) => html`<p class="muted">${t('device.tag_pin', { tag: p.tag, version: p.version })}</p>`)}
        ${own ? html`<${ConfirmButton} label=${t('device.unpin')} question=${t('device.unpin_confirm')} onConfirm=${clear.perform} busy=${clear.busy} />` : null}`;
    }}</${Resource}>
    <form class="inline-form" onSubmit=${(e) => { e.preventDefault(); set.perform(); }}>
      <${Field} id="pin-version" label=${t('device.pin_version')} value=${version} onValue=${setVersion} required autocomplete="off" />
      <button type="submit" disabled=${set.busy || !version.trim()}>${t('device.set_pin')}</button>
    </form>
    <${ErrorMessage} error=${set.error || clear.error} />
  </section>`;
}
