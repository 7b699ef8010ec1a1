import { truncate } from '../src/truncate.js';

export default {
  'never splits an emoji': () => [truncate('ok 👍👍👍', 5), truncate('👍👍👍', 2)],
  'counts emoji as one character each': () => truncate('👍👍', 2),
  'leaves short text alone': () => truncate('hello', 5),
  'cuts long ASCII text with an ellipsis': () => [truncate('hello world', 6), truncate('abc', 1)],
};
