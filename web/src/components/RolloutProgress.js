// RolloutProgress: a release's progress counts (GET /api/admin/releases/{id}/progress)
// as a bar of installed out of eligible and the seven numbers in words. The
// numbers are a live region: screen readers hear them change during a rollout.
import { html } from '../lib/html.js';
import { useI18n } from '../i18n/index.js';
import { number } from '../lib/format.js';

export const PROGRESS_FIELDS = ['eligible', 'offered', 'in_progress', 'installed', 'failed', 'stuck', 'rolled_back'];

export function RolloutProgress({ progress, labelId }) {
  const { t, lang } = useI18n();
  const eligible = progress.eligible || 0;
  return html`<div class="rollout-progress">
    <progress max=${Math.max(eligible, 1)} value=${Math.min(progress.installed || 0, Math.max(eligible, 1))}
      aria-labelledby=${labelId}></progress>
    <dl class="counts" aria-live="polite">
      ${PROGRESS_FIELDS.map((f) => html`<div class=${'count count-' + f}><dt>${t('progress.' + f)}</dt><dd>${number(progress[f], lang)}</dd></div>`)}
    </dl>
  </div>`;
}
