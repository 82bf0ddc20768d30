// PromoteForm: publish the same firmware on another channel as a new release.
import { html } from '../../lib/html.js';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { useI18n } from '../../i18n/index.js';
import { api } from '../../api/client.js';
import { useAction } from '../../hooks/useAction.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { Field } from '../../components/Field.js';
import { releasePath } from '../../lib/paths.js';

export function PromoteForm({ release }) {
  const { t } = useI18n();
  const { route } = useLocation();
  const others = ['stable', 'beta', 'dev'].filter((c) => c !== release.channel);
  const [channel, setChannel] = useState(others[0]);
  const promote = useAction(async () => {
    const created = await api(`/api/admin/releases/${release.id}/promote`, { method: 'POST', body: { channel } });
    route(releasePath(created.id));
  });
  return html`<form class="inline-form" onSubmit=${(e) => { e.preventDefault(); promote.perform(); }}>
    <${Field} id="promote-channel" kind="select" label=${t('release.promote_to')} value=${channel} onValue=${setChannel}
      options=${others.map((c) => [c, t('channel.' + c)])} />
    <button type="submit" disabled=${promote.busy}>${t('release.promote')}</button>
    <${ErrorMessage} error=${promote.error} />
  </form>`;
}
