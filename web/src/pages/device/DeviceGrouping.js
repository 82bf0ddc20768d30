// DeviceGrouping: a device's channel and tags, each edited and saved on its own.
import { html } from '../../lib/html.js';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.js';
import { api } from '../../api/client.js';
import { useAction } from '../../hooks/useAction.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';

export function DeviceGrouping({ device, onChanged }) {
  const { t } = useI18n();
  const base = '/api/admin/devices/' + encodeURIComponent(device.device_id);
  const [channel, setChannel] = useState(device.channel);
  const [tags, setTags] = useState((device.tags || []).join(', '));
  useEffect(() => setChannel(device.channel), [device.channel]);
  useEffect(() => setTags((device.tags || []).join(', ')), [(device.tags || []).join(',')]);
  const saveChannel = useAction(async () => {
    await api(base + '/channel', { method: 'PUT', body: { channel } });
    onChanged();
  });
  const saveTags = useAction(async () => {
    const list = tags.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);
    await api(base + '/tags', { method: 'PUT', body: { tags: list } });
    onChanged();
  });
  return html`<section aria-labelledby="grouping-h" class="card">
    <h2 id="grouping-h">${t('device.grouping')}</h2>
    <form class="inline-form" onSubmit=${(e) => { e.preventDefault(); saveChannel.perform(); }}>
      <${Field} id="device-channel" kind="select" label=${t('field.channel')} value=${channel} onValue=${setChannel}
        options=${['stable', 'beta', 'dev'].map((c) => [c, t('channel.' + c)])} />
      <button type="submit" disabled=${saveChannel.busy || channel === device.channel}>${t('device.save_channel')}</button>
    </form>
    <${ErrorMessage} error=${saveChannel.error} />
    <form class="inline-form" onSubmit=${(e) => { e.preventDefault(); saveTags.perform(); }}>
      <${Field} id="device-tags" label=${t('device.tags')} value=${tags} onValue=${setTags} hint=${t('device.tags_hint')} autocomplete="off" />
      <button type="submit" disabled=${saveTags.busy}>${t('device.save_tags')}</button>
    </form>
    <${ErrorMessage} error=${saveTags.error} />
  </section>`;
}
