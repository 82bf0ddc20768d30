// ShareEditor: set the release's rollout share (ends a stage schedule).
import { html } from '../../lib/html.js';
import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.js';
import { api } from '../../api/client.js';
import { useAction } from '../../hooks/useAction.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';

export function ShareEditor({ release, onChanged }) {
  const { t } = useI18n();
  const [share, setShare] = useState(String(release.rollout_percent));
  useEffect(() => setShare(String(release.rollout_percent)), [release.rollout_percent]);
  const save = useAction(async () => {
    await api(`/api/admin/releases/${release.id}`, { method: 'PATCH', body: { rollout_percent: Number(share) } });
    onChanged();
  });
  const valid = share !== '' && Number(share) >= 0 && Number(share) <= 100;
  return html`<form class="inline-form" onSubmit=${(e) => { e.preventDefault(); if (valid) save.perform(); }}>
    <${Field} id="share" kind="number" label=${t('release.share_percent')} value=${share} onValue=${setShare}
      min="0" max="100" step="0.01" required hint=${release.stages.length ? t('release.share_ends_stages') : undefined} />
    <button type="submit" disabled=${!valid || save.busy}>${t('release.set_share')}</button>
    <${ErrorMessage} error=${save.error} />
  </form>`;
}
