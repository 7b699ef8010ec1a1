import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseDuration } from '../src/duration.js';

test('parses multi-digit parts', () => {
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('12h'), 43_200_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration('1d2h'), 93_600_000);
});

test('rejects trailing garbage', () => {
  assert.throws(() => parseDuration('5x'), SyntaxError);
  assert.throws(() => parseDuration('10m!'), SyntaxError);
});
