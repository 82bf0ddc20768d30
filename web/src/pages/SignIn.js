// SignIn: exchange an admin key for a console session (POST /api/console/session),
// then go back to the page that asked for it (?next=, only a console path).
import { html } from '../lib/html.js';
import { useState } from 'preact/hooks';
import { useLocation } from 'preact-iso/router';
import { useI18n } from '../i18n/index.js';
import { useAction } from '../hooks/useAction.js';
import { signIn } from '../api/session.js';
import { ErrorMessage } from '../components/ErrorMessage.js';
import { PageTitle } from '../components/PageTitle.js';
import { path } from '../lib/paths.js';

export function SignIn({ onSignedIn }) {
  const { t } = useI18n();
  const { query, route } = useLocation();
  const [key, setKey] = useState('');
  const action = useAction(signIn);
  const submit = async (e) => {
    e.preventDefault();
    const session = await action.perform(key.trim());
    if (!session) return;
    setKey('');
    onSignedIn(session);
    const next = query.next && query.next.startsWith(path('/')) && !query.next.startsWith(path('/signin')) ? query.next : path('/');
    route(next, true);
  };
  return html`<section class="signin card">
    <${PageTitle} text=${t('signin.title')} />
    <p>${t('signin.intro')}</p>
    <form onSubmit=${submit}>
      <label for="signin-key">${t('signin.key')}</label>
      <input id="signin-key" type="password" autocomplete="off" required value=${key}
        aria-describedby="signin-hint" onInput=${(e) => setKey(e.currentTarget.value)} />
      <p id="signin-hint" class="muted">${t('signin.hint')}</p>
      <button type="submit" class="primary" disabled=${action.busy || !key.trim()}>${t('signin.submit')}</button>
    </form>
    <${ErrorMessage} error=${action.error} />
  </section>`;
}
