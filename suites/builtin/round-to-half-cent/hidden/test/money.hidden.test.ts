import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMoney, roundTo } from '../src/money.js';

test('rounds decimal half-cents up', () => {
  assert.equal(roundTo(1.005, 2), 1.01);
  assert.equal(roundTo(2.675, 2), 2.68);
  assert.equal(roundTo(1.255, 2), 1.26);
});

test('keeps exact values', () => {
  assert.equal(roundTo(1.5, 0), 2);
  assert.equal(roundTo(0.1 + 0.2, 2), 0.3);
  assert.equal(roundTo(12.34, 2), 12.34);
});

test('formats half-cents rounded up', () => {
  assert.equal(formatMoney(1.005), '$1.01');
});
