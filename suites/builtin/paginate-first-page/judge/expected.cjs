module.exports = {
  'page 1 is the first page': ['a', 'b'],
  'the last page holds the remainder': [['e'], false],
  'pages outside the range are empty': [[], []],
  'reports the number of pages': [3, 0],
  'rejects a non-positive page size': 'RangeError',
};
