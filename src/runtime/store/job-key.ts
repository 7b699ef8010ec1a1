import { createHash } from 'node:crypto';

/**
 * Deterministic key of a unit of paid work: SHA-256 of its parts (sorted by name, JSON-encoded),
 * hex, first 32 characters. Same parts, same key, on every machine and every run.
 */
export function jobKey(parts: Record<string, string | number>): string {
  const sorted = Object.keys(parts)
    .sort()
    .map((name) => [name, parts[name]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex').slice(0, 32);
}
