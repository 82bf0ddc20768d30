// ErrorMessage: an ApiError (or any error) in words, announced to screen readers.
// A known error code gets its translated explanation; the server's own message
// follows it. A 404 NOT_FOUND on a route this server lacks reads "not available".
import { html } from '../lib/html.js';
import { useI18n } from '../i18n/index.js';

export function errorText(t, error) {
  if (!error) return '';
  const code = error.code || 'UNKNOWN';
  const known = t('error.' + code);
  const explanation = known === 'error.' + code ? t('error.generic', { code }) : known;
  return error.message && error.message !== code ? `${explanation} ${t('error.server_said')} “${error.message}”` : explanation;
}

export function ErrorMessage({ error, context }) {
  const { t } = useI18n();
  if (!error) return null;
  return html`<div class="error" role="alert">
    ${context ? html`<strong>${context} </strong>` : null}${errorText(t, error)}
  </div>`;
}
