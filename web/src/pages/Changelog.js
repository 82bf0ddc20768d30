// Changelog: the internal changelog (GET /api/admin/changelog): every release
// with notes, counts, history and its exact rollback action, which a button
// performs after a confirmation.
import { html } from '../lib/html.js';
import { useI18n } from '../i18n/index.js';
import { api } from '../api/client.js';
import { useResource } from '../hooks/useResource.js';
import { useAction } from '../hooks/useAction.js';
import { useLive } from '../live/useLive.js';
import { Resource } from '../components/Resource.js';
import { PageTitle } from '../components/PageTitle.js';
import { StateBadge } from '../components/StateBadge.js';
import { ConfirmButton } from '../components/ConfirmButton.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { Facts } from '../components/Facts.js';
import { dateTime, number, percent } from '../lib/format.js';
import { releasePath } from '../lib/paths.js';

function RollbackAction({ release, onDone }) {
  const { t } = useI18n();
  const rb = release.rollback;
  const act = useAction(async () => {
    await api(`/api/admin/releases/${release.id}/revoke`, {
      method: 'POST',
      body: rb && rb.target_id ? { rollback_target_id: rb.target_id, reason: t('changelog.rollback_reason') } : { reason: t('changelog.rollback_reason') },
    });
    onDone();
  });
  if (release.state === 'revoked') return html`<p class="muted">${t('changelog.already_revoked')}</p>`;
  return html`<div class="rollback">
    ${rb ? html`<${Facts} items=${[
        [t('changelog.effect'), rb.effect],
        [t('changelog.api_call'), html`<code>${rb.api}</code>`],
        [t('changelog.command'), html`<code>${rb.command}</code>`],
      ]} />` : html`<p class="muted">${t('changelog.no_target')}</p>`}
    <${ConfirmButton} label=${t('changelog.rollback')} danger busy=${act.busy}
      question=${t('changelog.rollback_confirm', { version: release.version })} onConfirm=${act.perform} />
    <${ErrorMessage} error=${act.error} />
  </div>`;
}

function Entry({ r, onChanged }) {
  const { t, lang } = useI18n();
  const hid = 'cl-' + r.id;
  return html`<article class="card changelog-entry" aria-labelledby=${hid}>
    <h2 id=${hid}><a href=${releasePath(r.id)}>${r.version}</a> · ${t('channel.' + r.channel)} <${StateBadge} state=${r.state} /></h2>
    <${Facts} items=${[
      [t('release.uploaded'), dateTime(r.uploaded_at, lang)],
      [t('release.share'), percent(r.rollout_percent, lang)],
      [t('changelog.installs'), number(r.installs, lang)],
      [t('changelog.failures'), number(r.failures, lang)],
      [t('outcome.stuck'), number(r.stuck, lang)],
      [t('changelog.bootloader_rollbacks'), number(r.bootloader_rollbacks, lang)],
    ]} />
    <h3>${t('field.notes')}</h3>
    ${r.notes ? html`<pre class="notes">${r.notes}</pre>` : html`<p class="muted">${t('changelog.no_notes')}</p>`}
    <h3>${t('changelog.history')}</h3>
    <ol class="timeline">${(r.history || []).map((h) => html`<li>
      <time datetime=${h.at}>${dateTime(h.at, lang)}</time> <strong>${t('action.' + h.action)}</strong>
      <span class="muted">${h.actor}</span>
      ${h.state ? html` <${StateBadge} state=${h.state} />` : null}
      ${h.rollout_percent !== undefined && h.rollout_percent !== null ? html` <span>${percent(h.rollout_percent, lang)}</span>` : null}
      ${h.stage ? html` <span>${t('release.stage')} ${h.stage}</span>` : null}
      ${h.reason ? html` <span class="muted">“${h.reason}”</span>` : null}
    </li>`)}</ol>
    <h3>${t('changelog.rollback_heading')}</h3>
    <${RollbackAction} release=${r} onDone=${onChanged} />
  </article>`;
}

export function Changelog() {
  const { t } = useI18n();
  const log = useResource((signal) => api('/api/admin/changelog', { signal }), []);
  useLive(['release', 'ota'], log.reload);
  return html`<${PageTitle} text=${t('changelog.title')} />
    <p>${t('changelog.intro')}</p>
    <${Resource} state=${log}>${(data) => data.releases.length
      ? data.releases.map((r) => html`<${Entry} key=${r.id} r=${r} onChanged=${log.reload} />`)
      : html`<p class="muted">${t('releases.none')}</p>`}
    </${Resource}>`;
}
