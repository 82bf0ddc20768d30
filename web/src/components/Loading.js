// Loading: a quiet "loading" line for a section whose data has not arrived.
import { html } from '../lib/html.js';
import { useI18n } from '../i18n/index.js';

export function Loading() {
  const { t } = useI18n();
  return html`<p class="muted" role="status">${t('common.loading')}</p>`;
}
