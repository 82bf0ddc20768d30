// StateActions: pause (with a reason) and resume a release.
import { html } from '../../lib/html.js';
import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.js';
import { api } from '../../api/client.js';
import { useAction } from '../../hooks/useAction.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';

export function StateActions({ release, onChanged }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const act = useAction(async (what) => {
    await api(`/api/admin/releases/${release.id}/${what}`, { method: 'POST', body: reason ? { reason } : undefined });
    setReason('');
    onChanged();
  });
  return html`<form class="inline-form" onSubmit=${(e) => e.preventDefault()}>
    <div class="field">
      <label for="state-reason">${t('release.reason')}</label>
      <input id="state-reason" value=${reason} onInput=${(e) => setReason(e.currentTarget.value)} />
    </div>
    ${release.state === 'active'
      ? html`<button type="button" onClick=${() => act.perform('pause')} disabled=${act.busy}>${t('release.pause')}</button>`
      : html`<button type="button" onClick=${() => act.perform('resume')} disabled=${act.busy}>${t('release.resume')}</button>`}
    <${ErrorMessage} error=${act.error} />
  </form>`;
}
