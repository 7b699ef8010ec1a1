import assert from 'node:assert/strict';
import { test } from 'node:test';
import { truncate } from '../src/truncate.js';

test('never splits an emoji', () => {
  assert.equal(truncate('ok 👍👍👍', 5), 'ok 👍…');
  assert.equal(truncate('👍👍👍', 2), '👍…');
});

test('counts emoji as one character each', () => {
  assert.equal(truncate('👍👍', 2), '👍👍');
});
