// Nav: the main navigation; the current section is marked aria-current="page".
import { html } from '../lib/html.js';
import { useLocation } from 'preact-iso/router';
import { useI18n } from '../i18n/index.js';
import { path } from '../lib/paths.js';

const SECTIONS = [
  ['/', 'nav.overview'],
  ['/devices', 'nav.devices'],
  ['/releases', 'nav.releases'],
  ['/keys', 'nav.keys'],
  ['/config', 'nav.config'],
  ['/changelog', 'nav.changelog'],
  ['/audit', 'nav.audit'],
];

function isCurrent(current, section) {
  const full = path(section);
  if (section === '/') return current === path('') || current === full;
  return current === full || current.startsWith(full + '/');
}

export function Nav() {
  const { t } = useI18n();
  const { path: current } = useLocation();
  return html`<nav class="nav" aria-label=${t('nav.label')}>
    <ul>
      ${SECTIONS.map(([p, key]) => html`<li>
        <a href=${path(p)} aria-current=${isCurrent(current, p) ? 'page' : undefined}>${t(key)}</a>
      </li>`)}
    </ul>
  </nav>`;
}
