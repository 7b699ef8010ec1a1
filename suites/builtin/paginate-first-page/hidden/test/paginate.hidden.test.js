import assert from 'node:assert/strict';
import { test } from 'node:test';
import { paginate } from '../src/paginate.js';

const letters = ['a', 'b', 'c', 'd', 'e'];

test('page 1 is the first page', () => {
  assert.deepEqual(paginate(letters, 1, 2).items, ['a', 'b']);
});

test('the last page holds the remainder', () => {
  const last = paginate(letters, 3, 2);
  assert.deepEqual(last.items, ['e']);
  assert.equal(last.hasNext, false);
});

test('pages outside the range are empty', () => {
  assert.deepEqual(paginate(letters, 0, 2).items, []);
  assert.deepEqual(paginate(letters, 4, 2).items, []);
});
