// LiveStatus: the header's small "live" indicator, announced politely when the
// connection to the event stream changes.
import { html } from '../lib/html.js';
import { useEffect, useState } from 'preact/hooks';
import { watchStatus } from './events.js';
import { useI18n } from '../i18n/index.js';

export function LiveStatus() {
  const { t } = useI18n();
  const [status, setStatus] = useState('offline');
  useEffect(() => watchStatus(setStatus), []);
  return html`<span class=${'live live-' + status} role="status" aria-live="polite">
    <span class="live-dot" aria-hidden="true"></span>${t('live.' + status)}
  </span>`;
}
