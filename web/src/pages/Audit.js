// Audit: who changed what and when (GET /api/admin/audit), filtered by action,
// actor, subject and time, paged by before_id; all of it in the URL query.
import { html } from '../lib/html.js';
import { useEffect, useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { useI18n } from '../i18n/index.js';
import { api } from '../api/client.js';
import { useResource } from '../hooks/useResource.js';
import { useLive } from '../live/useLive.js';
import { Resource } from '../components/Resource.js';
import { PageTitle } from '../components/PageTitle.js';
import { Pager } from '../components/Pager.js';
import { Field } from '../components/Field.js';
import { dateTime } from '../lib/format.js';
import { isoToLocalInput, localInputToIso } from '../lib/time-input.js';
import { path } from '../lib/paths.js';
import { pick, withQuery } from '../lib/query.js';

const FILTERS = ['action', 'actor', 'subject', 'since', 'until'];
export const ACTIONS = ['release.upload', 'release.edit', 'release.pause', 'release.resume', 'release.revoke', 'release.promote',
  'release.delete', 'release.stage', 'release.auto_pause', 'key.create', 'key.revoke', 'key.label', 'device.block',
  'device.unblock', 'device.channel', 'device.tags', 'device.import', 'config.project', 'config.device', 'pin.set',
  'pin.clear', 'project.create', 'project.plan'];
const PAGE = 50;

function AuditFilters({ query, onApply }) {
  const { t } = useI18n();
  const init = () => ({ ...Object.fromEntries(FILTERS.map((f) => [f, query[f] || ''])), since: isoToLocalInput(query.since), until: isoToLocalInput(query.until) });
  const [f, setF] = useState(init);
  useEffect(() => setF(init()), [JSON.stringify(query)]);
  const set = (n) => (v) => setF((o) => ({ ...o, [n]: v }));
  return html`<form class="filters" role="search" aria-label=${t('audit.filters')} onSubmit=${(e) => {
      e.preventDefault();
      onApply({ ...f, since: localInputToIso(f.since), until: localInputToIso(f.until) });
    }}>
    <${Field} id="a-action" kind="select" label=${t('audit.action')} value=${f.action} onValue=${set('action')}
      options=${[['', t('common.any')], ...ACTIONS.map((a) => [a, t('action.' + a)])]} />
    <${Field} id="a-actor" label=${t('audit.actor')} value=${f.actor} onValue=${set('actor')} hint=${t('audit.actor_hint')} autocomplete="off" />
    <${Field} id="a-subject" label=${t('audit.subject')} value=${f.subject} onValue=${set('subject')} hint=${t('audit.subject_hint')} autocomplete="off" />
    <${Field} id="a-since" kind="datetime-local" label=${t('audit.since')} value=${f.since} onValue=${set('since')} />
    <${Field} id="a-until" kind="datetime-local" label=${t('audit.until')} value=${f.until} onValue=${set('until')} />
    <div class="actions">
      <button type="submit" class="primary">${t('common.apply')}</button>
      <a href=${path('/audit')} class="button">${t('common.reset')}</a>
    </div>
  </form>`;
}

const isRecord = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const show = (v) => (v === undefined || v === null ? '—' : JSON.stringify(v));
const LONG = 6;

// Change: an audit entry's before/after, field by field when both are objects;
// a long list (a creation) folds into a disclosure.
function Change({ before, after }) {
  const { t } = useI18n();
  if ((before != null && !isRecord(before)) || (after != null && !isRecord(after))) {
    return html`<p class="change">${show(before)} → ${show(after)}</p>`;
  }
  const keys = [...new Set([...Object.keys(before || {}), ...Object.keys(after || {})])];
  if (!keys.length) return null;
  const list = html`<ul class="change">${keys.map((k) => html`<li><code>${k}</code>: ${show((before || {})[k])} → ${show((after || {})[k])}</li>`)}</ul>`;
  return keys.length > LONG ? html`<details><summary>${t('audit.fields_n', { n: keys.length })}</summary>${list}</details>` : list;
}

export function Audit() {
  const { t, lang } = useI18n();
  const { query, route } = useLocation();
  const filters = pick(query, FILTERS);
  const beforeId = query.before_id;
  const audit = useResource(
    (signal) => api('/api/admin/audit', { query: { ...filters, before_id: beforeId, limit: PAGE }, signal }),
    [JSON.stringify(filters), beforeId]
  );
  useLive(['audit'], audit.reload, () => !beforeId);
  const base = path('/audit');
  return html`<${PageTitle} text=${t('audit.title')} />
    <${AuditFilters} query=${query} onApply=${(f) => route(withQuery(base, pick(f, FILTERS)))} />
    <${Resource} state=${audit}>${(data) => html`
      ${data.audit.length ? html`<div class="table-wrap"><table>
        <caption class="visually-hidden">${t('audit.title')}</caption>
        <thead><tr><th scope="col">${t('audit.when')}</th><th scope="col">${t('audit.actor')}</th><th scope="col">${t('audit.action')}</th>
          <th scope="col">${t('audit.subject')}</th><th scope="col">${t('audit.change')}</th></tr></thead>
        <tbody>${data.audit.map((e) => html`<tr>
          <td><time datetime=${e.at}>${dateTime(e.at, lang)}</time></td>
          <td>${e.actor_label ? html`${e.actor_label} <span class="muted">${e.actor}</span>` : e.actor}</td>
          <td>${t('action.' + e.action)}</td>
          <td><code>${e.subject}</code></td>
          <td><${Change} before=${e.before} after=${e.after} /></td>
        </tr>`)}</tbody>
      </table></div>` : html`<p class="muted">${t('audit.none')}</p>`}
      <${Pager} firstHref=${beforeId ? withQuery(base, filters) : null}
        onPrevious=${beforeId ? () => history.back() : null}
        nextHref=${data.next_before_id ? withQuery(base, { ...filters, before_id: data.next_before_id }) : null} />`}
    </${Resource}>`;
}
