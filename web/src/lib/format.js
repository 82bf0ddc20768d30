// Formatting of values for display, in the chosen language's conventions.
// Every function accepts null/undefined and answers "—" for it.
const DASH = '—';
const locale = (lang) => (lang === 'th' ? 'th-TH' : 'en-GB');

export function dateTime(iso, lang) {
  if (!iso) return DASH;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(locale(lang), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function relative(iso, lang, now = Date.now()) {
  if (!iso) return DASH;
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale(lang), { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 60) return rtf.format(seconds, 'second');
  if (abs < 3600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86400) return rtf.format(Math.round(seconds / 3600), 'hour');
  return rtf.format(Math.round(seconds / 86400), 'day');
}

export function number(n, lang) {
  if (n === null || n === undefined) return DASH;
  return new Intl.NumberFormat(locale(lang)).format(n);
}

export function percent(p, lang) {
  if (p === null || p === undefined) return DASH;
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: 2 }).format(p) + ' %';
}

export function bytes(n, lang) {
  if (n === null || n === undefined) return DASH;
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return new Intl.NumberFormat(locale(lang), { maximumFractionDigits: i ? 1 : 0 }).format(v) + ' ' + units[i];
}

export function duration(seconds, lang) {
  if (seconds === null || seconds === undefined) return DASH;
  const fmt = (v, unit) => new Intl.NumberFormat(locale(lang), { style: 'unit', unit, unitDisplay: 'short' }).format(v);
  if (seconds % 86400 === 0 && seconds) return fmt(seconds / 86400, 'day');
  if (seconds % 3600 === 0 && seconds) return fmt(seconds / 3600, 'hour');
  if (seconds % 60 === 0 && seconds) return fmt(seconds / 60, 'minute');
  return fmt(seconds, 'second');
}
