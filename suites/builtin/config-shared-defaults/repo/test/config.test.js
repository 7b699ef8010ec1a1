import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createConfig } from '../src/config.js';

test('applies overrides', () => {
  const config = createConfig({ timeoutMs: 50 });
  assert.equal(config.timeoutMs, 50);
  assert.equal(config.headers.Accept, 'application/json');
});

test('merges header overrides', () => {
  const config = createConfig({ headers: { 'X-Trace': '1' } });
  assert.equal(config.headers['X-Trace'], '1');
  assert.equal(config.headers.Accept, 'application/json');
});
