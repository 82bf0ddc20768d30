// LanguageSwitch: the header's language choice (English / ไทย).
import { html } from '../lib/html.js';
import { useI18n } from '../i18n/index.js';

export function LanguageSwitch() {
  const { t, lang, setLang } = useI18n();
  return html`<label class="lang">
    <span>${t('header.language')}</span>
    <select value=${lang} onChange=${(e) => setLang(e.currentTarget.value)}>
      <option value="en" lang="en">English</option>
      <option value="th" lang="th">ไทย</option>
    </select>
  </label>`;
}
