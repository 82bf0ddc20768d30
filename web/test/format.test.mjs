// Display formatting and the datetime-local <-> ISO conversions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytes, duration, percent } from '../src/lib/format.js';
import { isoToLocalInput, localInputToIso } from '../src/lib/time-input.js';
import { queryString } from '../src/api/client.js';

test('bytes in binary units', () => {
  assert.equal(bytes(300096, 'en'), '293.1 KiB');
  assert.equal(bytes(512, 'en'), '512 B');
  assert.equal(bytes(null, 'en'), '—');
});

test('percent and duration', () => {
  assert.equal(percent(12.5, 'en'), '12.5 %');
  // the unit's spelling comes from the ICU data; the unit chosen is ours
  assert.match(duration(3600, 'en'), /^1 hr/);
  assert.match(duration(2 * 86400, 'en'), /^2 day/);
  assert.match(duration(90, 'en'), /^90 sec/);
});

test('a local input time round-trips to the same UTC instant', () => {
  const iso = '2026-11-25T20:19:00Z';
  assert.equal(localInputToIso(isoToLocalInput(iso)), iso);
  assert.equal(localInputToIso(''), '');
  assert.equal(isoToLocalInput('nonsense'), '');
});

test('queryString leaves out empty values', () => {
  assert.equal(queryString({ a: '1', b: '', c: null, d: undefined, e: 0 }), '?a=1&e=0');
  assert.equal(queryString({}), '');
});
