// Languages of the console. Every visible string comes from en.js or th.js (same
// keys). t(key, params) looks a key up in the chosen language (English when a key
// is missing there) and fills {name} placeholders from params. The choice is kept
// in localStorage and mirrored in <html lang>.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import en from './en.js';
import th from './th.js';

export const LANGUAGES = { en, th };
const STORAGE_KEY = 'apiota.console.lang';

export function initialLanguage() {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored && stored in LANGUAGES) return stored;
  } catch {
    // storage may be disabled; fall through to the browser's language
  }
  return (navigator.language || '').toLowerCase().startsWith('th') ? 'th' : 'en';
}

export function applyLanguage(lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage may be disabled; the choice then lasts for this page only
  }
  document.documentElement.lang = lang;
}

export function translator(lang) {
  const strings = LANGUAGES[lang] || en;
  return (key, params) => {
    let s = strings[key] ?? en[key] ?? key;
    if (params) s = s.replace(/\{(\w+)\}/g, (m, name) => (params[name] ?? m));
    return s;
  };
}

export const I18nContext = createContext({ lang: 'en', t: translator('en'), setLang: () => {} });
export const useI18n = () => useContext(I18nContext);
