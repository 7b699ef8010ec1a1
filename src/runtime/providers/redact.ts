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
  const headerNames = new RegExp(`"(${[...SECRET_HEADERS].join('|')})"`, 'i');
  return <T>(value: T) => {
    // Fast path: most values hold neither a secret nor a credential header; skip the deep copy.
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (text === undefined) return value;
    if (!active.some((secret) => text.includes(secret)) && (typeof value === 'string' || !headerNames.test(text))) return value;
    return scrub(value) as T;
  };
}
