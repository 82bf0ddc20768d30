// Release: one release: state, live progress, rollout and safety, image
// metadata, and the operator's actions (pause/resume, share or stages, promote,
// revoke with a rollback target).
import { html } from '../lib/html.js';
import { useI18n } from '../i18n/index.js';
import { api } from '../api/client.js';
import { useResource } from '../hooks/useResource.js';
import { useLive } from '../live/useLive.js';
import { Resource } from '../components/Resource.js';
import { PageTitle } from '../components/PageTitle.js';
import { StateBadge } from '../components/StateBadge.js';
import { ReleaseProgress } from './release/ReleaseProgress.js';
import { ReleaseFacts } from './release/ReleaseFacts.js';
import { RolloutFacts } from './release/RolloutFacts.js';
import { StateActions } from './release/StateActions.js';
import { ShareEditor } from './release/ShareEditor.js';
import { StagesEditor } from './release/StagesEditor.js';
import { PromoteForm } from './release/PromoteForm.js';
import { RevokeForm } from './release/RevokeForm.js';
import { path } from '../lib/paths.js';

export function Release({ id }) {
  const { t } = useI18n();
  const release = useResource((signal) => api(`/api/admin/releases/${encodeURIComponent(id)}`, { signal }), [id]);
  const all = useResource((signal) => api('/api/admin/releases', { signal }), []);
  const reload = () => {
    release.reload();
    all.reload();
  };
  useLive(['release'], reload, (name, data) => !data.release_ids || data.release_ids.includes(Number(id)));
  return html`<p class="crumbs"><a href=${path('/releases')}>${t('nav.releases')}</a></p>
    <${Resource} state=${release}>${(r) => html`
      <${PageTitle} text=${t('release.title', { version: r.version, channel: t('channel.' + r.channel) })} />
      <p class="state-line" aria-live="polite"><${StateBadge} state=${r.state} />${r.state_reason ? html` <span class="muted">${r.state_reason}</span>` : null}</p>
      ${r.notes ? html`<section aria-labelledby="notes-h"><h2 id="notes-h">${t('field.notes')}</h2><pre class="notes">${r.notes}</pre></section>` : null}
      <${ReleaseProgress} id=${r.id} />
      <section aria-labelledby="rollout-h" class="card">
        <h2 id="rollout-h">${t('release.rollout')}</h2>
        <${RolloutFacts} release=${r} />
      </section>
      <section aria-labelledby="actions-h" class="card">
        <h2 id="actions-h">${t('release.actions')}</h2>
        ${r.state !== 'revoked' ? html`
          <h3>${t('release.state_heading')}</h3>
          <${StateActions} release=${r} onChanged=${reload} />
          <h3>${t('release.share_heading')}</h3>
          <${ShareEditor} release=${r} onChanged=${reload} />
          <${StagesEditor} release=${r} onChanged=${reload} />` : html`
          <h3>${t('release.state_heading')}</h3>
          <${StateActions} release=${r} onChanged=${reload} />`}
        <h3>${t('release.promote_heading')}</h3>
        <${PromoteForm} release=${r} />
        ${r.state !== 'revoked' ? html`<h3>${t('release.revoke_heading')}</h3>
          <${RevokeForm} release=${r} releases=${all.data ? all.data.releases : []} onChanged=${reload} />` : null}
      </section>
      <${ReleaseFacts} release=${r} />`}
    </${Resource}>`;
}
