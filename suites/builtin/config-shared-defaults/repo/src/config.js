export const DEFAULTS = {
  retries: 2,
  timeoutMs: 1000,
  headers: { Accept: 'application/json' },
  plugins: [],
};

/**
 * Builds a client configuration from the defaults and optional overrides; `headers` are merged.
 * @param {Partial<typeof DEFAULTS>} [overrides]
 */
export function createConfig(overrides = {}) {
  const headers = Object.assign(DEFAULTS.headers, overrides.headers);
  return Object.assign(DEFAULTS, overrides, { headers });
}
