module.exports = {
  'rounds decimal half-cents up': [1.01, 2.68, 1.26],
  'keeps exact values': [2, 0.3, 12.34],
  'formats half-cents rounded up': '$1.01',
  'rounds to whole numbers': [2, 3],
  'formats dollars with two decimals': ['$3.50', '$0.00'],
};
