import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareVersions, latest } from '../src/semver.js';

test('orders single-digit versions', () => {
  assert.ok(compareVersions('1.2.3', '1.3.0') < 0);
  assert.ok(compareVersions('2.0.0', '1.9.9') > 0);
  assert.equal(compareVersions('1.2.3', '1.2.3'), 0);
});

test('picks the latest of single-digit versions', () => {
  assert.equal(latest(['1.0.0', '1.2.0', '1.1.5']), '1.2.0');
});
