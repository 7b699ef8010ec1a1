import assert from 'node:assert/strict';
import { test } from 'node:test';
import { truncate } from '../src/truncate.js';

test('leaves short text alone', () => {
  assert.equal(truncate('hello', 5), 'hello');
});

test('cuts long ASCII text with an ellipsis', () => {
  assert.equal(truncate('hello world', 6), 'hello…');
  assert.equal(truncate('abc', 1), '…');
});
