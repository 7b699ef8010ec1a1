import { z } from 'zod';
import type { ProviderLimiters } from '../providers/provider-limiter.js';
import type { ResolvedModel } from '../providers/resolve-model.js';
import type { ResponseCache } from '../providers/response-cache.js';
import type { RetryPolicy } from '../providers/retry-policy.js';

/**
 * What every market model call's payload carries (a bid, a menu, a router decision): the run and
 * task it is for, and the call itself. Each job kind extends it with what it alone needs.
 */
export const MarketCallPayloadSchema = z.object({
  /** The run. */
  runId: z.string(),
  /** The task. */
  taskId: z.string(),
  /** The model reference called. */
  model: z.string(),
  /** System message. */
  system: z.string(),
  /** User message. */
  prompt: z.string(),
  /** Output cap. */
  maxOutputTokens: z.number(),
  /** Sampling temperature. */
  temperature: z.number(),
  /** Request structured output. */
  structured: z.boolean(),
});

/** What every model call of a market run shares: resolved models, limiters, cache, retries, the stop signal. */
export interface MarketCallContext {
  /** Resolved models: each worker's by worker id, the router's under `ROUTER_MODEL_KEY`. */
  models: ReadonlyMap<string, ResolvedModel>;
  /** Per-provider limiters. */
  limiters: ProviderLimiters;
  /** Response cache (undefined: off). */
  cache: ResponseCache | undefined;
  /** Retry policy overrides. */
  retry: Partial<RetryPolicy> | undefined;
  /** Aborted when the run is stopped (Ctrl-C). */
  signal: AbortSignal;
}

/** Key of the router's model in `MarketCallContext.models` (no worker id can be empty). */
export const ROUTER_MODEL_KEY = '';

/** A signal aborted by `signal` or after `timeoutMs`; `timedOut()` tells which. */
export function withTimeout(signal: AbortSignal, timeoutMs: number): { signal: AbortSignal; timedOut: () => boolean; clear: () => void } {
  const controller = new AbortController();
  let fired = false;
  const timer = setTimeout(() => {
    fired = true;
    controller.abort(new Error(`no reply within ${timeoutMs} ms`));
  }, timeoutMs);
  const onAbort = () => controller.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    timedOut: () => fired && !signal.aborted,
    clear: () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
    },
  };
}
