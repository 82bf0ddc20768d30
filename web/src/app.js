// App: language, session and routing. Asks the server who is signed in; without a
// session every page shows the sign-in page, and any 401 later sends the user
// there (coming back to the page they were on after signing in). With a session
// the live event stream is open.
import { html } from './lib/html.js';
import { useCallback, useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { LocationProvider, Router, Route, useLocation } from 'preact-iso/router';
import { I18nContext, applyLanguage, initialLanguage, translator } from './i18n/index.js';
import { onUnauthorized } from './api/client.js';
import { currentSession, signOut } from './api/session.js';
import { startLive, stopLive } from './live/events.js';
import { Header } from './components/Header.js';
import { Loading } from './components/Loading.js';
import { path } from './lib/paths.js';
import { Overview } from './pages/Overview.js';
import { Devices } from './pages/Devices.js';
import { Device } from './pages/Device.js';
import { Releases } from './pages/Releases.js';
import { Release } from './pages/Release.js';
import { Keys } from './pages/Keys.js';
import { Config } from './pages/Config.js';
import { Changelog } from './pages/Changelog.js';
import { Audit } from './pages/Audit.js';
import { SignIn } from './pages/SignIn.js';
import { NotFound } from './pages/NotFound.js';

function Shell() {
  const { route, path: current } = useLocation();
  const [session, setSession] = useState(undefined);
  const onSignInPage = current === path('/signin');

  const toSignIn = useCallback(() => {
    setSession(null);
    stopLive();
    const here = location.pathname + location.search;
    if (!here.startsWith(path('/signin'))) route(path('/signin') + '?next=' + encodeURIComponent(here), true);
  }, [route]);

  useEffect(() => onUnauthorized(toSignIn), [toSignIn]);
  const firstPath = useRef(current);
  useEffect(() => {
    // after a navigation (not the first load) screen readers start at the new page
    if (current !== firstPath.current) document.getElementById('main')?.focus();
    firstPath.current = null;
  }, [current]);
  useEffect(() => {
    currentSession().then((s) => (s ? setSession(s) : toSignIn()), () => toSignIn());
  }, []);
  useEffect(() => {
    if (session) startLive();
  }, [session]);

  const doSignOut = async () => {
    try {
      await signOut();
    } finally {
      setSession(null);
      stopLive();
      route(path('/signin'));
    }
  };

  if (session === undefined && !onSignInPage) return html`<main id="main" class="main"><${Loading} /></main>`;

  return html`
    <${Header} session=${onSignInPage ? null : session} onSignOut=${doSignOut} />
    <main id="main" class="main" tabindex="-1">
      ${onSignInPage || !session
        ? html`<${SignIn} onSignedIn=${setSession} />`
        : html`<${Router}>
            <${Route} path=${path('/')} component=${Overview} />
            <${Route} path=${path('')} component=${Overview} />
            <${Route} path=${path('/devices')} component=${Devices} />
            <${Route} path=${path('/devices/:id')} component=${Device} />
            <${Route} path=${path('/releases')} component=${Releases} />
            <${Route} path=${path('/releases/:id')} component=${Release} />
            <${Route} path=${path('/keys')} component=${Keys} />
            <${Route} path=${path('/config')} component=${Config} />
            <${Route} path=${path('/changelog')} component=${Changelog} />
            <${Route} path=${path('/audit')} component=${Audit} />
            <${Route} default component=${NotFound} />
          </${Router}>`}
    </main>`;
}

export function App() {
  const [lang, setLangState] = useState(initialLanguage);
  useEffect(() => applyLanguage(lang), []);
  const i18n = useMemo(() => {
    const setLang = (next) => {
      applyLanguage(next);
      setLangState(next);
    };
    return { lang, t: translator(lang), setLang };
  }, [lang]);
  return html`<${I18nContext.Provider} value=${i18n}>
    <${LocationProvider} scope=${path('/')}>
      <${Shell} />
    </${LocationProvider}>
  </${I18nContext.Provider}>`;
}
