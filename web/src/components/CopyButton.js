// CopyButton: copies text to the clipboard and says so (aria-live), or says that
// the browser refused (then the user selects the shown text by hand).
import { html } from '../lib/html.js';
import { useState } from 'preact/hooks';
import { useI18n } from '../i18n/index.js';

export function CopyButton({ text, label }) {
  const { t } = useI18n();
  const [result, setResult] = useState('');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setResult(t('common.copied'));
    } catch {
      setResult(t('common.copy_failed'));
    }
  };
  return html`<span class="copy">
    <button type="button" onClick=${copy}>${label || t('common.copy')}</button>
    <span role="status" aria-live="polite" class="muted">${result}</span>
  </span>`;
}
