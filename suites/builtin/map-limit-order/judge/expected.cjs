module.exports = {
  'results line up with the input when calls finish out of order': [60, 10, 30],
  'passes the index and keeps order with limit 1': ['0:a', '1:b', '2:c'],
  'maps synchronous-looking work': [2, 4, 6],
  'never runs more than limit calls at once': 2,
};
