// Both languages have the same keys and the same placeholders; t() fills them and
// falls back to English, then to the key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import en from '../src/i18n/en.js';
import th from '../src/i18n/th.js';
import { translator } from '../src/i18n/index.js';

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');

test('en and th have the same keys', () => {
  assert.deepEqual(Object.keys(th).sort(), Object.keys(en).sort());
});

test('every Thai string keeps the English placeholders', () => {
  for (const k of Object.keys(en)) assert.equal(placeholders(th[k]), placeholders(en[k]), k);
});

test('Thai strings are Thai', () => {
  const thai = Object.values(th).filter((s) => /[\u0E00-\u0E7F]/.test(s));
  assert.ok(thai.length / Object.keys(th).length > 0.9, `${thai.length} of ${Object.keys(th).length}`);
});

test('t() fills placeholders and falls back', () => {
  const t = translator('th');
  assert.equal(t('devices.total', { n: '5' }), 'พบ 5 อุปกรณ์');
  assert.equal(t('no.such_key'), 'no.such_key');
  assert.equal(translator('xx')('nav.devices'), 'Devices');
});
