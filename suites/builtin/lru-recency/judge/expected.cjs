module.exports = {
  'a read makes a key recently used': [1, undefined, 3],
  'updating a key evicts nothing': [2, 1, 20],
  'stores and reads values': [1, undefined],
  'evicts the oldest entry when nothing was read': [undefined, 2],
};
