// Header: the banner of every page: skip link, product name, navigation (when
// signed in), live status, language switch and sign-out.
import { html } from '../lib/html.js';
import { useI18n } from '../i18n/index.js';
import { Nav } from './Nav.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { LiveStatus } from '../live/LiveStatus.js';
import { path } from '../lib/paths.js';

export function Header({ session, onSignOut }) {
  const { t } = useI18n();
  return html`<header class="header">
    <a class="skip" href="#main">${t('header.skip')}</a>
    <div class="header-row">
      <a class="brand" href=${path('/')}>${t('app.name')}</a>
      <div class="header-tools">
        ${session ? html`<${LiveStatus} />` : null}
        <${LanguageSwitch} />
        ${session
          ? html`<span class="muted who">${t('header.signed_in_as', { label: session.label || session.key_id })}</span>
              <button type="button" onClick=${onSignOut}>${t('header.sign_out')}</button>`
          : null}
      </div>
    </div>
    ${session ? html`<${Nav} />` : null}
  </header>`;
}
