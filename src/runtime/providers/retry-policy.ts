import { APICallError } from 'ai';
import type { CallFailureReason } from './errors.js';

/** How failed tries are retried. */
export interface RetryPolicy {
  /** Retries after the first try (so `maxRetries + 1` tries at most). */
  maxRetries: number;
  /** First backoff delay when the provider gives no Retry-After. */
  baseDelayMs: number;
  /** Cap of the exponential backoff. */
  maxDelayMs: number;
  /** A Retry-After longer than this ends the call instead of waiting. */
  maxRetryAfterMs: number;
  /** Per-try timeout. */
  timeoutMs: number;
  /** Randomize backoff in [50%, 100%] of the delay, so parallel callers do not retry in step. */
  jitter: boolean;
}

/** Defaults: 4 retries, 1 s doubling to 30 s, honour Retry-After up to 2 min, 120 s per try. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 4,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 120_000,
  timeoutMs: 120_000,
  jitter: true,
};

/** What went wrong in one try and what to do about it. */
export interface TryFailure {
  /** Category. */
  reason: CallFailureReason;
  /** HTTP status, if one was received. */
  status: number | undefined;
  /** Whether another try may succeed. */
  retryable: boolean;
  /** Whether the provider may have billed the try without reporting usage (timeout, cut or unreadable reply). */
  maybeBilled: boolean;
  /** Delay the provider asked for (Retry-After), if any. */
  retryAfterMs: number | undefined;
  /** Message for logs. */
  message: string;
}

const RETRYABLE_STATUS = new Set([408, 409, 425, 429]);

/**
 * Classifies an error thrown by one try. HTTP errors (429, 5xx, 408, 409, 425) are retried and not
 * billed; other 4xx are final; a 2xx whose body could not be read, a timeout or a network failure
 * is retried and treated as possibly billed.
 */
export function classifyFailure(error: unknown, context: { timedOut: boolean; aborted: boolean; now: number }): TryFailure {
  const message = error instanceof Error ? error.message : String(error);
  if (context.aborted) return { reason: 'aborted', status: undefined, retryable: false, maybeBilled: true, retryAfterMs: undefined, message };
  if (context.timedOut) {
    return { reason: 'timeout', status: undefined, retryable: true, maybeBilled: true, retryAfterMs: undefined, message: 'timed out' };
  }
  if (APICallError.isInstance(error) && error.statusCode !== undefined) {
    const status = error.statusCode;
    if (status >= 200 && status < 300) {
      return { reason: 'invalid-response', status, retryable: true, maybeBilled: true, retryAfterMs: undefined, message };
    }
    const retryable = status >= 500 || RETRYABLE_STATUS.has(status);
    return {
      reason: 'http',
      status,
      retryable,
      maybeBilled: false,
      retryAfterMs: retryAfterMs(error.responseHeaders, context.now),
      message: `HTTP ${status}: ${message}`,
    };
  }
  if (APICallError.isInstance(error)) {
    return { reason: 'network', status: undefined, retryable: true, maybeBilled: true, retryAfterMs: undefined, message };
  }
  return { reason: 'invalid-response', status: undefined, retryable: true, maybeBilled: true, retryAfterMs: undefined, message };
}

/**
 * The delay a response asks for: `retry-after-ms` (OpenAI), else `retry-after` as seconds or an
 * HTTP date (relative to `now`). Undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Record<string, string> | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lower[name.toLowerCase()] = value;
  const ms = Number.parseFloat(lower['retry-after-ms'] ?? '');
  if (Number.isFinite(ms) && ms >= 0) return ms;
  const value = lower['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number(value.trim());
  if (value.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Backoff before try `attempt + 1` (attempt is 1-based): base × 2^(attempt−1), capped, optionally jittered. */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  const delay = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return policy.jitter ? delay * (0.5 + 0.5 * random()) : delay;
}
