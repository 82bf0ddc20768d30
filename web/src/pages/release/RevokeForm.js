// RevokeForm: withdraw a release and roll its devices back to a chosen target
// (or let the server pick), after a confirmation.
import { html } from '../../lib/html.js';
import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.js';
import { api } from '../../api/client.js';
import { useAction } from '../../hooks/useAction.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { Field } from '../../components/Field.js';

export function RevokeForm({ release, releases, onChanged }) {
  const { t } = useI18n();
  const [target, setTarget] = useState(release.rollback_target_id ? String(release.rollback_target_id) : '');
  const [reason, setReason] = useState('');
  const candidates = releases.filter((r) => r.id !== release.id && r.state !== 'revoked' && r.version !== release.version);
  const revoke = useAction(async () => {
    const body = {};
    if (reason) body.reason = reason;
    if (target) body.rollback_target_id = Number(target);
    await api(`/api/admin/releases/${release.id}/revoke`, { method: 'POST', body });
    onChanged();
  });
  return html`<form onSubmit=${(e) => e.preventDefault()}>
    <div class="grid-fields">
      <${Field} id="revoke-target" kind="select" label=${t('release.rollback_target')} value=${target} onValue=${setTarget}
        options=${[['', t('release.target_automatic')], ...candidates.map((r) => [String(r.id), `${r.version} · ${t('channel.' + r.channel)} (#${r.id})`])]} />
      <${Field} id="revoke-reason" label=${t('release.reason')} value=${reason} onValue=${setReason} />
    </div>
    <${ConfirmButton} label=${t('release.revoke')} danger busy=${revoke.busy}
      question=${t('release.revoke_confirm', { version: release.version })} onConfirm=${revoke.perform} />
    <${ErrorMessage} error=${revoke.error} />
  </form>`;
}
