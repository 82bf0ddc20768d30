// DeviceFilters: the device list's search form. Its values start from the URL
// query; submitting puts them into the URL (a new history entry), which the
// Devices page reads. Times are shown in local time and sent as UTC.
import { html } from '../../lib/html.js';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.js';
import { Field } from '../../components/Field.js';
import { isoToLocalInput, localInputToIso } from '../../lib/time-input.js';

export const FILTERS = ['prefix', 'tag', 'version', 'channel', 'blocked', 'seen_after', 'seen_before', 'sort', 'order', 'limit'];

export function DeviceFilters({ query, onApply, onReset }) {
  const { t } = useI18n();
  const fromQuery = () => ({
    ...Object.fromEntries(FILTERS.map((f) => [f, query[f] || ''])),
    seen_after: isoToLocalInput(query.seen_after),
    seen_before: isoToLocalInput(query.seen_before),
  });
  const [f, setF] = useState(fromQuery);
  useEffect(() => setF(fromQuery()), [JSON.stringify(query)]);
  const set = (name) => (v) => setF((old) => ({ ...old, [name]: v }));
  const submit = (e) => {
    e.preventDefault();
    onApply({ ...f, seen_after: localInputToIso(f.seen_after), seen_before: localInputToIso(f.seen_before) });
  };
  const any = ['', t('common.any')];
  return html`<form class="filters" role="search" aria-label=${t('devices.filters')} onSubmit=${submit}>
    <${Field} id="f-prefix" label=${t('devices.prefix')} value=${f.prefix} onValue=${set('prefix')} autocomplete="off" />
    <${Field} id="f-tag" label=${t('field.tag')} value=${f.tag} onValue=${set('tag')} autocomplete="off" />
    <${Field} id="f-version" label=${t('field.version')} value=${f.version} onValue=${set('version')} autocomplete="off" />
    <${Field} id="f-channel" kind="select" label=${t('field.channel')} value=${f.channel} onValue=${set('channel')}
      options=${[any, ...['stable', 'beta', 'dev'].map((c) => [c, t('channel.' + c)])]} />
    <${Field} id="f-blocked" kind="select" label=${t('devices.blocked')} value=${f.blocked} onValue=${set('blocked')}
      options=${[any, ['true', t('devices.blocked_only')], ['false', t('devices.not_blocked')]]} />
    <${Field} id="f-seen-after" kind="datetime-local" label=${t('devices.seen_after')} value=${f.seen_after} onValue=${set('seen_after')} />
    <${Field} id="f-seen-before" kind="datetime-local" label=${t('devices.seen_before')} value=${f.seen_before} onValue=${set('seen_before')} />
    <${Field} id="f-sort" kind="select" label=${t('devices.sort')} value=${f.sort} onValue=${set('sort')}
      options=${[['', t('field.device_id')], ['last_seen_at', t('field.last_seen')], ['registered_at', t('field.registered')], ['firmware_version', t('field.firmware')]]} />
    <${Field} id="f-order" kind="select" label=${t('devices.order')} value=${f.order} onValue=${set('order')}
      options=${[['', t('devices.asc')], ['desc', t('devices.desc')]]} />
    <${Field} id="f-limit" kind="select" label=${t('devices.per_page')} value=${f.limit} onValue=${set('limit')}
      options=${[['', '100'], ['25', '25'], ['50', '50'], ['200', '200'], ['500', '500']]} />
    <div class="actions">
      <button type="submit" class="primary">${t('common.apply')}</button>
      <button type="button" onClick=${onReset}>${t('common.reset')}</button>
    </div>
  </form>`;
}
