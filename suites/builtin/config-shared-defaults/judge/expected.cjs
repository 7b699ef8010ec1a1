module.exports = {
  'configs do not share state': {
    b: { retries: 2, timeoutMs: 1000, headers: { Accept: 'application/json' }, plugins: [] },
    aRetries: 5,
    bKeys: ['headers', 'plugins', 'retries', 'timeoutMs'],
  },
  'header overrides do not change later configs': { Accept: 'application/json' },
  'applies overrides': [50, 'application/json'],
  'merges header overrides': ['1', 'application/json'],
};
