// Keys: the project's API keys: create (shown once), label, revoke.
import { html } from '../lib/html.js';
import { useI18n } from '../i18n/index.js';
import { api } from '../api/client.js';
import { useResource } from '../hooks/useResource.js';
import { useLive } from '../live/useLive.js';
import { Resource } from '../components/Resource.js';
import { PageTitle } from '../components/PageTitle.js';
import { CreateKey } from './keys/CreateKey.js';
import { KeyRow } from './keys/KeyRow.js';

export function Keys() {
  const { t } = useI18n();
  const keys = useResource((signal) => api('/api/admin/keys', { signal }), []);
  useLive(['audit'], keys.reload);
  return html`<${PageTitle} text=${t('keys.title')} />
    <p>${t('keys.intro')}</p>
    <${CreateKey} onCreated=${keys.reload} />
    <section aria-labelledby="keylist-h">
      <h2 id="keylist-h">${t('keys.all')}</h2>
      <${Resource} state=${keys}>${(data) => html`<div class="table-wrap"><table>
        <caption class="visually-hidden">${t('keys.all')}</caption>
        <thead><tr><th scope="col">${t('keys.label')}</th><th scope="col">${t('keys.id')}</th><th scope="col">${t('keys.role')}</th>
          <th scope="col">${t('keys.hint')}</th><th scope="col">${t('keys.created')}</th><th scope="col">${t('field.status')}</th></tr></thead>
        <tbody>${data.keys.map((k) => html`<${KeyRow} key=${k.id} k=${k} onChanged=${keys.reload} />`)}</tbody>
      </table></div>`}</${Resource}>
    </section>`;
}
