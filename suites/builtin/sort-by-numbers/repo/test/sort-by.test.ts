import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sortBy } from '../src/sort-by.js';

test('sorts by a string key', () => {
  const names = sortBy([{ name: 'carol' }, { name: 'alice' }, { name: 'bob' }], 'name').map((p) => p.name);
  assert.deepEqual(names, ['alice', 'bob', 'carol']);
});

test('sorts single-digit numbers', () => {
  assert.deepEqual(sortBy([{ n: 3 }, { n: 1 }, { n: 2 }], 'n').map((p) => p.n), [1, 2, 3]);
});
