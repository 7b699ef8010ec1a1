import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LruCache } from '../src/lru.js';

test('a read makes a key recently used', () => {
  const cache = new LruCache<string, number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  cache.get('a');
  cache.set('c', 3);
  assert.equal(cache.get('a'), 1);
  assert.equal(cache.get('b'), undefined);
  assert.equal(cache.get('c'), 3);
});

test('updating a key evicts nothing', () => {
  const cache = new LruCache<string, number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  cache.set('b', 20);
  assert.equal(cache.size, 2);
  assert.equal(cache.get('a'), 1);
  assert.equal(cache.get('b'), 20);
});
