/** Replacement text for a secret. */
export const REDACTED = '[redacted]';

const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'x-goog-api-key', 'api-key', 'proxy-authorization', 'cookie', 'set-cookie']);

/**
 * A function that returns a deep copy of a value with every occurrence of the given secrets
 * (in any string, object key or value) replaced by `[redacted]`, and the values of
 * credential-bearing headers (`authorization`, `x-api-key`, `x-goog-api-key`, …) redacted too.
 */
export function makeRedactor(secrets: readonly string[]): <T>(value: T) => T {
  const active = secrets.filter((secret) => secret.length >= 4);
  const scrubText = (text: string): string => active.reduce((out, secret) => out.split(secret).join(REDACTED), text);
  const scrub = (value: unknown, key?: string): unknown => {
    if (typeof value === 'string') return key !== undefined && SECRET_HEADERS.has(key.toLowerCase()) ? REDACTED : scrubText(value);
    if (Array.isArray(value)) return value.map((item) => scrub(item));
    if (value !== null && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [name, item] of Object.entries(value)) out[scrubText(name)] = scrub(item, name);
      return out;
    }
    return value;
  };
  const hasSecret = (text: string): boolean => active.some((secret) => text.includes(secret));
  // Whether `scrub` would change anything: a secret in any string or key, or a credential header.
  // Walked rather than serialised: request bodies hold whole prompts, and this runs on every call.
  const needsScrub = (value: unknown): boolean => {
    if (typeof value === 'string') return hasSecret(value);
    if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return false;
    // What JSON.stringify would write for it (a URL's href, a Date's ISO text).
    if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return needsScrub((value as { toJSON: () => unknown }).toJSON());
    if (Array.isArray(value)) return value.some(needsScrub);
    for (const [name, item] of Object.entries(value)) {
      if (SECRET_HEADERS.has(name.toLowerCase()) || hasSecret(name) || needsScrub(item)) return true;
    }
    return false;
  };
  // Fast path: most values hold neither a secret nor a credential header; skip the deep copy.
  return <T>(value: T) => (needsScrub(value) ? (scrub(value) as T) : value);
}
