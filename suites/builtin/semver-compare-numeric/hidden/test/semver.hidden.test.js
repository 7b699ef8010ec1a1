import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareVersions, latest } from '../src/semver.js';

test('compares parts numerically', () => {
  assert.ok(compareVersions('1.10.0', '1.9.0') > 0);
  assert.ok(compareVersions('0.9.12', '0.9.2') > 0);
  assert.equal(latest(['1.9.0', '1.10.0', '1.2.3']), '1.10.0');
});

test('a missing part counts as zero', () => {
  assert.equal(compareVersions('1.2', '1.2.0'), 0);
  assert.ok(compareVersions('1.2', '1.2.1') < 0);
});
