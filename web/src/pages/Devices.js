// Devices: the server-side filtered, sorted and paged device list
// (GET /api/admin/devices). Filters, sort and page live in the URL query, so
// back/forward and shared links work. Pages by next_cursor when the server gives
// one, else by offset.
import { html } from '../lib/html.js';
import { useLocation } from 'preact-iso/router';
import { useI18n } from '../i18n/index.js';
import { api } from '../api/client.js';
import { useResource } from '../hooks/useResource.js';
import { useLive } from '../live/useLive.js';
import { Resource } from '../components/Resource.js';
import { PageTitle } from '../components/PageTitle.js';
import { Pager } from '../components/Pager.js';
import { DeviceFilters, FILTERS } from './devices/DeviceFilters.js';
import { dateTime, number, relative } from '../lib/format.js';
import { devicePath, path } from '../lib/paths.js';
import { pick, withQuery } from '../lib/query.js';

function DeviceTable({ devices }) {
  const { t, lang } = useI18n();
  return html`<div class="table-wrap"><table>
    <caption class="visually-hidden">${t('devices.title')}</caption>
    <thead><tr>
      <th scope="col">${t('field.device_id')}</th><th scope="col">${t('field.channel')}</th>
      <th scope="col">${t('field.firmware')}</th><th scope="col">${t('field.last_seen')}</th>
      <th scope="col">${t('field.registered')}</th><th scope="col">${t('field.status')}</th>
    </tr></thead>
    <tbody>${devices.map((d) => html`<tr>
      <td><a href=${devicePath(d.device_id)}>${d.device_id}</a></td>
      <td>${t('channel.' + d.channel)}</td>
      <td>${d.firmware_version || t('common.unknown')}</td>
      <td><time datetime=${d.last_seen_at} title=${dateTime(d.last_seen_at, lang)}>${d.last_seen_at ? relative(d.last_seen_at, lang) : t('devices.never_seen')}</time></td>
      <td>${dateTime(d.registered_at, lang)}</td>
      <td>${d.blocked ? html`<span class="badge badge-revoked">${t('devices.is_blocked')}</span>` : null}
        ${d.update_attempt ? html`<span class="badge badge-paused">${t('devices.updating', { version: d.update_attempt.version })}</span>` : null}
        ${!d.blocked && !d.update_attempt ? t('devices.ok') : null}</td>
    </tr>`)}</tbody>
  </table></div>`;
}

export function Devices() {
  const { t, lang } = useI18n();
  const { query, route } = useLocation();
  const filters = pick(query, FILTERS);
  const page = pick(query, ['cursor', 'offset']);
  const key = JSON.stringify([filters, page]);
  const list = useResource((signal) => api('/api/admin/devices', { query: { ...filters, ...page }, signal }), [key]);
  useLive(['device'], list.reload);
  const base = path('/devices');
  const limit = Number(filters.limit || 100);

  const pager = (data) => {
    const first = page.cursor || Number(page.offset) > 0 ? withQuery(base, filters) : null;
    if ('next_cursor' in data) {
      return html`<${Pager} firstHref=${first} nextHref=${data.next_cursor ? withQuery(base, { ...filters, cursor: data.next_cursor }) : null}
        onPrevious=${page.cursor ? () => history.back() : null} />`;
    }
    const offset = Number(page.offset || 0);
    const prev = offset > 0 ? Math.max(0, offset - limit) : null;
    return html`<${Pager} firstHref=${first}
      nextHref=${offset + data.devices.length < data.total ? withQuery(base, { ...filters, offset: offset + limit }) : null}
      onPrevious=${prev !== null ? () => route(withQuery(base, { ...filters, offset: prev || undefined })) : null} />`;
  };

  return html`<${PageTitle} text=${t('devices.title')} />
    <${DeviceFilters} query=${query} onApply=${(f) => route(withQuery(base, pick(f, FILTERS)))} onReset=${() => route(base)} />
    <${Resource} state=${list} context=${t('devices.failed')}>${(data) => html`
      <p role="status" aria-live="polite">${data.total_exact === false
        ? t('devices.total_at_least', { n: number(data.total, lang) })
        : t('devices.total', { n: number(data.total, lang) })}</p>
      ${data.devices.length ? html`<${DeviceTable} devices=${data.devices} />` : html`<p class="muted">${t('devices.none')}</p>`}
      ${pager(data)}`}
    </${Resource}>`;
}
