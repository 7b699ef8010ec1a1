/**
 * A base URL as a run's stored settings keep it, so `retry` can reach the same server: user name,
 * password and query string are removed (they may hold a key; secrets never reach the store).
 * Undefined when no URL was given or when it cannot be parsed (nothing trustworthy to reuse).
 */
export function storableBaseUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    parsed.search = '';
    parsed.hash = '';
    return parsed.toString();
  } catch {
    return undefined;
  }
}
