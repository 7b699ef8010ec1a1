module.exports = {
  'retries rejected promises': ['ok', 3],
  'rejects with the last error and reports each retry': ['fail 3', [1, 2]],
  'returns the first success': 42,
  'retries functions that throw synchronously': ['done', 2],
};
