// StateBadge: a release state (active, paused, revoked) or device state as a
// coloured word; the colour only repeats what the word says.
import { html } from '../lib/html.js';
import { useI18n } from '../i18n/index.js';

export function StateBadge({ state }) {
  const { t } = useI18n();
  return html`<span class=${'badge badge-' + state}>${t('state.' + state)}</span>`;
}
