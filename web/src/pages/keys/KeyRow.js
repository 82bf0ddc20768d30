// KeyRow: one key in the key table: label (editable), role, hint, dates, and
// revoke after a confirmation.
import { html } from '../../lib/html.js';
import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.js';
import { api } from '../../api/client.js';
import { useAction } from '../../hooks/useAction.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { dateTime } from '../../lib/format.js';

export function KeyRow({ k, onChanged }) {
  const { t, lang } = useI18n();
  const [editing, setEditing] = useState(false);
  const [label, setLabel] = useState(k.label || '');
  const saveLabel = useAction(async () => {
    await api('/api/admin/keys/' + encodeURIComponent(k.id), { method: 'PATCH', body: { label } });
    setEditing(false);
    onChanged();
  });
  const revoke = useAction(async () => {
    await api('/api/admin/keys/' + encodeURIComponent(k.id), { method: 'DELETE' });
    onChanged();
  });
  const inputId = 'label-' + k.id;
  return html`<tr class=${k.revoked_at ? 'revoked' : ''}>
    <td>${editing
      ? html`<form class="inline-form" onSubmit=${(e) => { e.preventDefault(); saveLabel.perform(); }}>
          <label for=${inputId} class="visually-hidden">${t('keys.label_for', { id: k.id })}</label>
          <input id=${inputId} value=${label} maxlength="64" onInput=${(e) => setLabel(e.currentTarget.value)} />
          <button type="submit" disabled=${saveLabel.busy}>${t('common.save')}</button>
          <button type="button" onClick=${() => setEditing(false)}>${t('common.cancel')}</button>
        </form>`
      : html`${k.label || html`<span class="muted">${t('keys.no_label')}</span>`}
          ${!k.revoked_at ? html` <button type="button" class="link" onClick=${() => setEditing(true)}
            aria-label=${t('keys.edit_label_for', { id: k.id })}>${t('keys.edit_label')}</button>` : null}`}
      <${ErrorMessage} error=${saveLabel.error || revoke.error} /></td>
    <td><code>${k.id}</code></td>
    <td>${t('role.' + k.role)}</td>
    <td><code>${k.hint}</code></td>
    <td>${dateTime(k.created_at, lang)}</td>
    <td>${k.revoked_at ? t('keys.revoked_at', { time: dateTime(k.revoked_at, lang) })
      : html`<${ConfirmButton} label=${t('keys.revoke')} danger busy=${revoke.busy}
          question=${t('keys.revoke_confirm', { id: k.label || k.id })} onConfirm=${revoke.perform} />`}</td>
  </tr>`;
}
