import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from '../src/duration.js';

test('parses single-digit parts', () => {
  assert.equal(parseDuration('1h'), 3_600_000);
  assert.equal(parseDuration('1m5s'), 65_000);
});

test('rejects text without a duration', () => {
  assert.throws(() => parseDuration('abc'), SyntaxError);
  assert.throws(() => parseDuration(''), SyntaxError);
});
