// Pager: "first page", "previous" and "next" for a list paged by the server.
// firstHref/nextHref are links (so back/forward and new tabs work); onPrevious,
// when given, steps back through the browser history.
import { html } from '../lib/html.js';
import { useI18n } from '../i18n/index.js';

export function Pager({ firstHref, nextHref, onPrevious, label }) {
  const { t } = useI18n();
  return html`<nav class="pager" aria-label=${label || t('common.pages')}>
    ${firstHref ? html`<a href=${firstHref}>${t('common.first_page')}</a>` : null}
    ${onPrevious ? html`<button type="button" class="link" onClick=${onPrevious}>${t('common.previous')}</button>` : null}
    ${nextHref ? html`<a href=${nextHref} rel="next">${t('common.next')}</a>` : null}
  </nav>`;
}
