import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createConfig } from '../src/config.js';

const expected = { retries: 2, timeoutMs: 1000, headers: { Accept: 'application/json' }, plugins: [] };

test('configs do not share state', () => {
  const a = createConfig({ retries: 5 });
  a.headers.Authorization = 'Bearer A';
  a.plugins.push('trace');
  const b = createConfig();
  assert.deepEqual(b, expected);
  assert.equal(a.retries, 5);
});

test('header overrides do not change later configs', () => {
  createConfig({ headers: { 'X-Tenant': 't1' } });
  assert.deepEqual(createConfig().headers, { Accept: 'application/json' });
});
