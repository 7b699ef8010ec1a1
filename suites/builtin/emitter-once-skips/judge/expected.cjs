module.exports = {
  'a once listener does not make emit skip the next listener': ['once', 'always', 'always'],
  'two once listeners both run once': [true, false, [1, 2]],
  'calls listeners with arguments': [true, [3]],
  'removes a listener with the returned function': [false, 0],
};
