import { parseDuration } from '../src/duration.js';

const thrown = (fn: () => unknown): string => {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return [SyntaxError, RangeError, TypeError, Error].find((kind) => error instanceof kind)?.name ?? 'not an Error';
  }
};

export default {
  'parses multi-digit parts': () => ['90s', '12h', '1h30m', '250ms', '1d2h'].map((text) => parseDuration(text)),
  'rejects trailing garbage': () => [thrown(() => parseDuration('5x')), thrown(() => parseDuration('10m!'))],
  'parses single-digit parts': () => [parseDuration('1h'), parseDuration('1m5s')],
  'rejects text without a duration': () => [thrown(() => parseDuration('abc')), thrown(() => parseDuration(''))],
};
