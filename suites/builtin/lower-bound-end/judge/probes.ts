import { insertSorted, lowerBound } from '../src/sorted.js';

export default {
  'returns the length for values above every element': () => [lowerBound([1, 3, 5], 9), lowerBound([], 4)],
  'inserts a new largest value at the end': () => [insertSorted([1, 3, 5], 9), insertSorted([], 2)],
  'finds the first of equal values': () => lowerBound([2, 2, 2, 3], 2),
  'finds existing values and gaps': () => [lowerBound([1, 3, 5, 7], 5), lowerBound([1, 3, 5, 7], 4), lowerBound([1, 3, 5, 7], 0)],
  'inserts in the middle': () => insertSorted([1, 3, 5], 4),
};
