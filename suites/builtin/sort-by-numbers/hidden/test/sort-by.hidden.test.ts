import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sortBy } from '../src/sort-by.js';

test('sorts numbers numerically', () => {
  assert.deepEqual(sortBy([{ n: 10 }, { n: 9 }, { n: 1 }, { n: -2 }], 'n').map((p) => p.n), [-2, 1, 9, 10]);
});

test('leaves the input alone and is stable', () => {
  const input = [
    { n: 2, tag: 'a' },
    { n: 1, tag: 'b' },
    { n: 2, tag: 'c' },
  ];
  const sorted = sortBy(input, 'n');
  assert.deepEqual(sorted.map((p) => p.tag), ['b', 'a', 'c']);
  assert.deepEqual(input.map((p) => p.tag), ['a', 'b', 'c']);
});
