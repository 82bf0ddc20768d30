// ReleaseProgress: a release's live progress counts
// (GET /api/admin/releases/{id}/progress), refreshed by OTA and release events
// about this release.
import { html } from '../../lib/html.js';
import { useI18n } from '../../i18n/index.js';
import { api } from '../../api/client.js';
import { useResource } from '../../hooks/useResource.js';
import { useLive } from '../../live/useLive.js';
import { Resource } from '../../components/Resource.js';
import { RolloutProgress } from '../../components/RolloutProgress.js';
import { dateTime } from '../../lib/format.js';

export function ReleaseProgress({ id }) {
  const { t, lang } = useI18n();
  const progress = useResource((signal) => api(`/api/admin/releases/${id}/progress`, { signal }), [id]);
  useLive(['ota', 'release'], progress.reload, (name, data) => !data.release_ids || data.release_ids.includes(Number(id)));
  return html`<section aria-labelledby="progress-h" class="card">
    <h2 id="progress-h">${t('release.progress')}</h2>
    <${Resource} state=${progress} context=${t('release.progress_failed')}>${(p) => html`
      <${RolloutProgress} progress=${p} labelId="progress-h" />
      <p class="muted">${t('common.as_of', { time: dateTime(p.generated_at, lang) })}</p>`}
    </${Resource}>
  </section>`;
}
