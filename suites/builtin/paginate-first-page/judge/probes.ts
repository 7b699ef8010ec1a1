import { paginate } from '../src/paginate.js';

const thrown = (fn: () => unknown): string => {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return [SyntaxError, RangeError, TypeError, Error].find((kind) => error instanceof kind)?.name ?? 'not an Error';
  }
};

const letters = ['a', 'b', 'c', 'd', 'e'];

export default {
  'page 1 is the first page': () => paginate(letters, 1, 2).items,
  'the last page holds the remainder': () => {
    const last = paginate(letters, 3, 2);
    return [last.items, last.hasNext];
  },
  'pages outside the range are empty': () => [paginate(letters, 0, 2).items, paginate(letters, 4, 2).items],
  'reports the number of pages': () => [paginate([1, 2, 3, 4, 5], 1, 2).totalPages, paginate([], 1, 10).totalPages],
  'rejects a non-positive page size': () => thrown(() => paginate([1], 1, 0)),
};
