// Releases: every release of the project, newest first, and the upload form.
import { html } from '../lib/html.js';
import { useI18n } from '../i18n/index.js';
import { api } from '../api/client.js';
import { useResource } from '../hooks/useResource.js';
import { useLive } from '../live/useLive.js';
import { Resource } from '../components/Resource.js';
import { PageTitle } from '../components/PageTitle.js';
import { StateBadge } from '../components/StateBadge.js';
import { UploadForm } from './releases/UploadForm.js';
import { bytes, dateTime, percent } from '../lib/format.js';
import { releasePath } from '../lib/paths.js';

export function Releases() {
  const { t, lang } = useI18n();
  const list = useResource((signal) => api('/api/admin/releases', { signal }), []);
  useLive(['release'], list.reload);
  return html`<${PageTitle} text=${t('releases.title')} />
    <${UploadForm} onUploaded=${list.reload} />
    <section aria-labelledby="rel-list-h">
      <h2 id="rel-list-h">${t('releases.all')}</h2>
      <${Resource} state=${list}>${(data) => data.releases.length
        ? html`<div class="table-wrap"><table>
            <caption class="visually-hidden">${t('releases.all')}</caption>
            <thead><tr><th scope="col">${t('field.version')}</th><th scope="col">${t('field.channel')}</th>
              <th scope="col">${t('field.state')}</th><th scope="col">${t('release.share')}</th>
              <th scope="col">${t('release.size')}</th><th scope="col">${t('release.uploaded')}</th></tr></thead>
            <tbody>${data.releases.map((r) => html`<tr>
              <td><a href=${releasePath(r.id)}>${r.version}</a></td>
              <td>${t('channel.' + r.channel)}</td>
              <td><${StateBadge} state=${r.state} /></td>
              <td class="num">${percent(r.rollout_percent, lang)}${r.stage ? html` <span class="muted">(${t('release.stage_of', { stage: r.stage, count: r.stages.length })})</span>` : null}</td>
              <td class="num">${bytes(r.size, lang)}</td>
              <td>${dateTime(r.uploaded_at, lang)}</td>
            </tr>`)}</tbody>
          </table></div>`
        : html`<p class="muted">${t('releases.none')}</p>`}
      </${Resource}>
    </section>`;
}
