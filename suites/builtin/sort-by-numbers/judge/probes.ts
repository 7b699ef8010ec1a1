import { sortBy } from '../src/sort-by.js';

export default {
  'sorts numbers numerically': () => sortBy([{ n: 10 }, { n: 9 }, { n: 1 }, { n: -2 }], 'n').map((p) => p.n),
  'leaves the input alone and is stable': () => {
    const input = [
      { n: 2, tag: 'a' },
      { n: 1, tag: 'b' },
      { n: 2, tag: 'c' },
    ];
    const sorted = sortBy(input, 'n');
    return [sorted.map((p) => p.tag), input.map((p) => p.tag)];
  },
  'sorts by a string key': () => sortBy([{ name: 'carol' }, { name: 'alice' }, { name: 'bob' }], 'name').map((p) => p.name),
  'sorts single-digit numbers': () => sortBy([{ n: 3 }, { n: 1 }, { n: 2 }], 'n').map((p) => p.n),
};
