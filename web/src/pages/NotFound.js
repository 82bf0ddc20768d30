// NotFound: a console path that names no page.
import { html } from '../lib/html.js';
import { useI18n } from '../i18n/index.js';
import { PageTitle } from '../components/PageTitle.js';
import { path } from '../lib/paths.js';

export function NotFound() {
  const { t } = useI18n();
  return html`<${PageTitle} text=${t('notfound.title')} />
    <p>${t('notfound.text')} <a href=${path('/')}>${t('nav.overview')}</a></p>`;
}
