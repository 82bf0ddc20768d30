// PageTitle: the page's one <h1>, also set as the document title.
import { html } from '../lib/html.js';
import { useEffect } from 'preact/hooks';
import { useI18n } from '../i18n/index.js';

export function PageTitle({ children, text }) {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${text} · ${t('app.name')}`;
  }, [text, t]);
  return html`<h1>${children || text}</h1>`;
}
