import assert from 'node:assert/strict';
import { test } from 'node:test';
import { insertSorted, lowerBound } from '../src/sorted.js';

test('finds existing values and gaps', () => {
  assert.equal(lowerBound([1, 3, 5, 7], 5), 2);
  assert.equal(lowerBound([1, 3, 5, 7], 4), 2);
  assert.equal(lowerBound([1, 3, 5, 7], 0), 0);
});

test('inserts in the middle', () => {
  assert.deepEqual(insertSorted([1, 3, 5], 4), [1, 3, 4, 5]);
});
