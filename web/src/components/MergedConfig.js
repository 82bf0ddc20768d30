// MergedConfig: the config a device receives (project default merged with its
// own), as the server computed it; says so when the server does not provide it.
import { html } from '../lib/html.js';
import { useI18n } from '../i18n/index.js';

export function MergedConfig({ merged }) {
  const { t } = useI18n();
  return html`<div class="merged">
    <h3>${t('config.merged')}</h3>
    ${merged === undefined
      ? html`<p class="muted">${t('config.merged_unavailable')}</p>`
      : html`<pre tabindex="0" aria-label=${t('config.merged')}>${JSON.stringify(merged, null, 2)}</pre>`}
  </div>`;
}
