import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insertSorted, lowerBound } from '../src/sorted.js';

test('returns the length for values above every element', () => {
  assert.equal(lowerBound([1, 3, 5], 9), 3);
  assert.equal(lowerBound([], 4), 0);
});

test('inserts a new largest value at the end', () => {
  assert.deepEqual(insertSorted([1, 3, 5], 9), [1, 3, 5, 9]);
  assert.deepEqual(insertSorted([], 2), [2]);
});

test('finds the first of equal values', () => {
  assert.equal(lowerBound([2, 2, 2, 3], 2), 0);
});
