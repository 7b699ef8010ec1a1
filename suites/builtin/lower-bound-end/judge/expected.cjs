module.exports = {
  'returns the length for values above every element': [3, 0],
  'inserts a new largest value at the end': [
    [1, 3, 5, 9],
    [2],
  ],
  'finds the first of equal values': 0,
  'finds existing values and gaps': [2, 2, 0],
  'inserts in the middle': [1, 3, 4, 5],
};
