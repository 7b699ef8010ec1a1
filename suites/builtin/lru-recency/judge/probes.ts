import { LruCache } from '../src/lru.js';

export default {
  'a read makes a key recently used': () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    return [cache.get('a'), cache.get('b'), cache.get('c')];
  },
  'updating a key evicts nothing': () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('b', 20);
    return [cache.size, cache.get('a'), cache.get('b')];
  },
  'stores and reads values': () => {
    const cache = new LruCache<string, number>(3);
    cache.set('a', 1);
    return [cache.get('a'), cache.get('zzz')];
  },
  'evicts the oldest entry when nothing was read': () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);
    return [cache.get('a'), cache.size];
  },
};
