module.exports = {
  'sorts numbers numerically': [-2, 1, 9, 10],
  'leaves the input alone and is stable': [
    ['b', 'a', 'c'],
    ['a', 'b', 'c'],
  ],
  'sorts by a string key': ['alice', 'bob', 'carol'],
  'sorts single-digit numbers': [1, 2, 3],
};
