import { createHash } from 'node:crypto';
import type { Store } from '../store/store.js';
import type { CallUsage } from './usage.js';

/** What the cache keeps of a successful call: enough to answer the same call again for free. */
export interface CachedCall {
  /** Reply text. */
  text: string;
  /** Usage the provider reported for the original call. */
  usage: CallUsage;
  /** Whether the provider reported usage. */
  usageReported: boolean;
  /** Metered cost of the original call in USD (null when unpriced). */
  costUsd: number | null;
  /** Finish reason of the original call. */
  finishReason: string;
  /** Tool calls of the reply. */
  toolCalls: { toolCallId: string; toolName: string; input: unknown }[];
  /** Raw request body (redacted). */
  request: unknown;
  /** Raw response (id, model id, body; redacted). */
  response: unknown;
}

/** A response cache. Only successful calls are ever put; errors are never cached. */
export interface ResponseCache {
  /** The cached call under `key`, if any. */
  get(key: string): CachedCall | undefined;
  /** Stores a successful call. */
  put(input: { key: string; model: string; params: Record<string, unknown>; entry: CachedCall }): void;
}

/**
 * The key of a call: SHA-256 (hex) of the model reference, a hash of the prompt (system +
 * messages) and every parameter that changes the reply (output cap, temperature, schema, tools,
 * provider options, and a salt such as the repeat index, so repeats are asked afresh).
 */
export function responseCacheKey(parts: { ref: string; prompt: unknown; params: Record<string, unknown> }): string {
  const promptHash = createHash('sha256').update(JSON.stringify(parts.prompt)).digest('hex');
  return createHash('sha256').update(JSON.stringify([parts.ref, promptHash, sortKeys(parts.params)])).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}

/**
 * A response cache in the store's `cache` table. With `defer` (a group-commit writer's `defer`),
 * puts are committed with the next batch of writes instead of one transaction each.
 */
export function storeResponseCache(store: Store, options: { defer?: (work: () => void) => void } = {}): ResponseCache {
  const write = options.defer ?? ((work: () => void) => work());
  return {
    get: (key) => store.getCachedResponse(key)?.response as CachedCall | undefined,
    put: ({ key, model, params, entry }) => write(() => store.putCachedResponse({ key, model, params, response: entry })),
  };
}
