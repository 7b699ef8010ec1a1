import { createHash } from 'node:crypto';
import { z } from 'zod';
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
  /** The provider's warnings (redacted JSON), so a cache hit reports what the original call did; absent in older entries. */
  warnings?: string[];
}

/** A response cache. Only successful calls are ever put; errors are never cached. */
export interface ResponseCache {
  /** The cached call under `key`, if any (a remote cache answers asynchronously). */
  get(key: string): CachedCall | undefined | Promise<CachedCall | undefined>;
  /** Stores a successful call. */
  put(input: { key: string; model: string; params: Record<string, unknown>; entry: CachedCall }): void | Promise<void>;
}

/** A cached call read back from outside the process (stored JSON is an edge). */
export const CachedCallSchema = z.object({
  text: z.string(),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number(), cachedInputTokens: z.number() }),
  usageReported: z.boolean(),
  costUsd: z.number().nullable(),
  finishReason: z.string(),
  toolCalls: z.array(z.object({ toolCallId: z.string(), toolName: z.string(), input: z.unknown() })),
  request: z.unknown(),
  response: z.unknown(),
  warnings: z.array(z.string()).optional(),
});

/**
 * A response cache over an asynchronous key-value store (e.g. the queue's Redis, shared by the
 * workers of a run): entries are checked against `CachedCallSchema` when read, and one that does
 * not fit is a miss.
 */
export function keyValueResponseCache(store: { get(key: string): Promise<unknown>; put(key: string, value: unknown): Promise<void> }): ResponseCache {
  return {
    get: async (key) => {
      const parsed = CachedCallSchema.safeParse(await store.get(key));
      return parsed.success ? (parsed.data as CachedCall) : undefined;
    },
    put: ({ key, entry }) => store.put(key, entry),
  };
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
