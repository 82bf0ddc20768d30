// CreateKey: create a provisioning or admin key with a label; the key itself is
// shown once, with a copy button, until the user dismisses it.
import { html } from '../../lib/html.js';
import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n/index.js';
import { api } from '../../api/client.js';
import { useAction } from '../../hooks/useAction.js';
import { ErrorMessage } from '../../components/ErrorMessage.js';
import { CopyButton } from '../../components/CopyButton.js';
import { Field } from '../../components/Field.js';

export function CreateKey({ onCreated }) {
  const { t } = useI18n();
  const [role, setRole] = useState('provision');
  const [label, setLabel] = useState('');
  const [created, setCreated] = useState(null);
  const create = useAction(async () => {
    const key = await api('/api/admin/keys', { method: 'POST', body: label ? { role, label } : { role } });
    setCreated(key);
    setLabel('');
    onCreated();
  });
  return html`<section class="card" aria-labelledby="newkey-h">
    <h2 id="newkey-h">${t('keys.create')}</h2>
    <form class="inline-form" onSubmit=${(e) => { e.preventDefault(); create.perform(); }}>
      <${Field} id="key-role" kind="select" label=${t('keys.role')} value=${role} onValue=${setRole}
        options=${[['provision', t('role.provision')], ['admin', t('role.admin')]]} />
      <${Field} id="key-label" label=${t('keys.label')} value=${label} onValue=${setLabel} maxlength="64" autocomplete="off" />
      <button type="submit" class="primary" disabled=${create.busy}>${t('keys.create_button')}</button>
    </form>
    <${ErrorMessage} error=${create.error} />
    ${created ? html`<div class="secret" role="status">
        <p><strong>${t('keys.shown_once')}</strong></p>
        <p><code class="key" id="new-key">${created.key}</code></p>
        <${CopyButton} text=${created.key} />
        <button type="button" onClick=${() => setCreated(null)}>${t('keys.dismiss')}</button>
      </div>` : null}
  </section>`;
}
