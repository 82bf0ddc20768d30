// Overview: fleet size and activity, versions per channel, OTA outcomes over time
// and the releases in rollout (GET /api/admin/stats), refreshed by live events.
import { html } from '../lib/html.js';
import { useLocation } from 'preact-iso/router';
import { useI18n } from '../i18n/index.js';
import { api } from '../api/client.js';
import { useResource } from '../hooks/useResource.js';
import { useLive } from '../live/useLive.js';
import { Resource } from '../components/Resource.js';
import { PageTitle } from '../components/PageTitle.js';
import { StateBadge } from '../components/StateBadge.js';
import { RolloutProgress } from '../components/RolloutProgress.js';
import { VersionChart } from '../charts/VersionChart.js';
import { OutcomeChart } from '../charts/OutcomeChart.js';
import { dateTime, number, percent } from '../lib/format.js';
import { path, releasePath } from '../lib/paths.js';

const SPAN = { hour: 24, day: 30 };

function FleetCounts({ devices }) {
  const { t, lang } = useI18n();
  const items = ['total', 'seen_last_hour', 'seen_last_day', 'never_seen', 'blocked'];
  return html`<dl class="tiles" aria-live="polite">
    ${items.map((k) => html`<div class="tile"><dt>${t('overview.' + k)}</dt><dd>${number(devices[k], lang)}</dd></div>`)}
  </dl>`;
}

function Rollouts({ rollouts }) {
  const { t, lang } = useI18n();
  if (!rollouts.length) return html`<p class="muted">${t('overview.no_rollouts')}</p>`;
  return html`<ul class="rollouts">
    ${rollouts.map(({ release: r, progress }) => html`<li class="card">
      <h3 id=${'rollout-' + r.id}><a href=${releasePath(r.id)}>${r.version}</a> <span class="muted">${t('channel.' + r.channel)}</span> <${StateBadge} state=${r.state} /></h3>
      <p class="muted">${t('release.share')}: ${percent(r.rollout_percent, lang)}${r.stage ? ' · ' + t('release.stage_of', { stage: r.stage, count: r.stages.length }) : ''}</p>
      <${RolloutProgress} progress=${progress} labelId=${'rollout-' + r.id} />
    </li>`)}
  </ul>`;
}

export function Overview() {
  const { t, lang } = useI18n();
  const { query, route } = useLocation();
  const bucket = query.bucket === 'day' ? 'day' : 'hour';
  const stats = useResource((signal) => api('/api/admin/stats', { query: { bucket, span: SPAN[bucket] }, signal }), [bucket]);
  useLive(['ota', 'release', 'device'], stats.reload);
  return html`<${PageTitle} text=${t('overview.title')} />
    <${Resource} state=${stats} context=${t('overview.stats_failed')}>${(s) => html`
      <p class="muted">${t('common.as_of', { time: dateTime(s.generated_at, lang) })}</p>
      <section aria-labelledby="fleet-h">
        <h2 id="fleet-h">${t('overview.fleet')}</h2>
        <${FleetCounts} devices=${s.devices} />
      </section>
      <section aria-labelledby="versions-h">
        <h2 id="versions-h">${t('overview.versions')}</h2>
        ${s.versions.length ? html`<div class="chart-grid">${s.versions.map((c) => html`<${VersionChart} channel=${c.channel} versions=${c.versions} />`)}</div>`
          : html`<p class="muted">${t('overview.no_devices')}</p>`}
      </section>
      <section aria-labelledby="outcomes-h">
        <h2 id="outcomes-h">${t('overview.outcomes')}</h2>
        <div class="segmented" role="group" aria-label=${t('overview.bucket_label')}>
          ${['hour', 'day'].map((b) => html`<button type="button" aria-pressed=${b === bucket ? 'true' : 'false'}
            onClick=${() => route(path('/') + (b === 'hour' ? '' : '?bucket=day'))}>${t('bucket.per_' + b)}</button>`)}
        </div>
        <${OutcomeChart} outcomes=${s.outcomes} />
      </section>
      <section aria-labelledby="rollouts-h">
        <h2 id="rollouts-h">${t('overview.rollouts')}</h2>
        <${Rollouts} rollouts=${s.rollouts} />
      </section>`}
    </${Resource}>`;
}
