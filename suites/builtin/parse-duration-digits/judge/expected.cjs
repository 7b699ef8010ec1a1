module.exports = {
  'parses multi-digit parts': [90_000, 43_200_000, 5_400_000, 250, 93_600_000],
  'rejects trailing garbage': ['SyntaxError', 'SyntaxError'],
  'parses single-digit parts': [3_600_000, 65_000],
  'rejects text without a duration': ['SyntaxError', 'SyntaxError'],
};
