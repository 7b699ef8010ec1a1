import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paginate } from '../src/paginate.js';

test('reports the number of pages', () => {
  assert.equal(paginate([1, 2, 3, 4, 5], 1, 2).totalPages, 3);
  assert.equal(paginate([], 1, 10).totalPages, 0);
});

test('rejects a non-positive page size', () => {
  assert.throws(() => paginate([1], 1, 0), RangeError);
});
