// errorFromAnswer reads both error body shapes and survives bodies that are not JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorFromAnswer } from '../src/api/errors.js';

test('the documented shape {"error":"CODE","message"}', () => {
  const e = errorFromAnswer(400, { error: 'INVALID_FIRMWARE', message: 'bad checksum', status: 400 });
  assert.equal(e.code, 'INVALID_FIRMWARE');
  assert.equal(e.message, 'bad checksum');
  assert.equal(e.status, 400);
});

test('the nested shape {"success":false,"error":{"code","message"}}', () => {
  const e = errorFromAnswer(403, { success: false, error: { code: 'FORBIDDEN', message: 'cross-site request refused' } });
  assert.equal(e.code, 'FORBIDDEN');
  assert.equal(e.message, 'cross-site request refused');
});

test('a body that is not JSON becomes HTTP_<status>', () => {
  const e = errorFromAnswer(502, '<html>bad gateway</html>');
  assert.equal(e.code, 'HTTP_502');
  assert.equal(e.status, 502);
});
