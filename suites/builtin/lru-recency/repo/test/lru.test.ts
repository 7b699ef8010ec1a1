import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LruCache } from '../src/lru.js';

test('stores and reads values', () => {
  const cache = new LruCache<string, number>(3);
  cache.set('a', 1);
  assert.equal(cache.get('a'), 1);
  assert.equal(cache.get('zzz'), undefined);
});

test('evicts the oldest entry when nothing was read', () => {
  const cache = new LruCache<string, number>(2);
  cache.set('a', 1);
  cache.set('b', 2);
  cache.set('c', 3);
  assert.equal(cache.get('a'), undefined);
  assert.equal(cache.size, 2);
});
