// ProgressBar: a labelled <progress> with "sent of total" in words beside it.
import { html } from '../lib/html.js';
import { useI18n } from '../i18n/index.js';
import { bytes } from '../lib/format.js';

export function ProgressBar({ sent, total, label }) {
  const { t, lang } = useI18n();
  const pct = total ? Math.floor((sent / total) * 100) : 0;
  return html`<div class="progress">
    <label>
      <span>${label}</span>
      <progress max=${total || 1} value=${sent}>${pct} %</progress>
    </label>
    <span class="muted" aria-live="polite">${t('upload.progress', { sent: bytes(sent, lang), total: bytes(total, lang), pct })}</span>
  </div>`;
}
