import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMoney, roundTo } from '../src/money.js';

test('rounds to whole numbers', () => {
  assert.equal(roundTo(2.4, 0), 2);
  assert.equal(roundTo(2.5, 0), 3);
});

test('formats dollars with two decimals', () => {
  assert.equal(formatMoney(3.5), '$3.50');
  assert.equal(formatMoney(0), '$0.00');
});
