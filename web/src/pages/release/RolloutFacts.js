// RolloutFacts: who the release is offered to (share, stage, tags, devices) and
// its safety settings.
import { html } from '../../lib/html.js';
import { useI18n } from '../../i18n/index.js';
import { Facts } from '../../components/Facts.js';
import { dateTime, duration, percent } from '../../lib/format.js';

export function RolloutFacts({ release: r }) {
  const { t, lang } = useI18n();
  const s = r.safety || {};
  return html`<${Facts} items=${[
      [t('release.share'), percent(r.rollout_percent, lang)],
      [t('release.stage'), r.stage ? t('release.stage_of', { stage: r.stage, count: r.stages.length }) + ' · ' + t('release.stage_since', { time: dateTime(r.stage_started_at, lang) }) : t('release.no_stages')],
      [t('release.rollout_tags'), r.rollout_tags.length ? r.rollout_tags.join(', ') : t('release.everyone')],
      [t('release.rollout_devices'), r.rollout_devices.length ? r.rollout_devices.join(', ') : t('common.none')],
      [t('release.max_failure_rate'), percent((s.max_failure_rate ?? 0) * 100, lang)],
      [t('release.window'), t('release.attempts_n', { n: s.window })],
      [t('release.min_attempts'), String(s.min_attempts)],
      [t('release.stuck_after'), duration(s.stuck_after_seconds, lang)],
      [t('release.rollback_target'), r.rollback_target_id ? '#' + r.rollback_target_id : t('release.target_automatic')],
    ]} />
    ${r.stages.length ? html`<table>
      <caption>${t('release.schedule')}</caption>
      <thead><tr><th scope="col">#</th><th scope="col">${t('release.stage_percent')}</th><th scope="col">${t('release.stage_min_duration')}</th><th scope="col">${t('release.stage_successes')}</th></tr></thead>
      <tbody>${r.stages.map((st, i) => html`<tr class=${r.stage === i + 1 ? 'current' : ''} aria-current=${r.stage === i + 1 ? 'step' : undefined}>
        <th scope="row">${i + 1}</th><td class="num">${percent(st.percent, lang)}</td>
        <td>${duration(st.min_duration_seconds || 0, lang)}</td><td class="num">${st.min_successes || 0}</td></tr>`)}</tbody>
    </table>` : null}`;
}
