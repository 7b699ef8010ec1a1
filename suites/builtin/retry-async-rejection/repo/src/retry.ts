/** Options of `retry`. */
export interface RetryOptions {
  /** Total number of calls allowed (at least 1). */
  attempts: number;
  /** Called with the error and the number of the attempt that failed, before the next attempt. */
  onRetry?: (error: unknown, attempt: number) => void;
}

/** Calls `fn` until it resolves, at most `attempts` times; rejects with the last error. */
export async function retry<T>(fn: () => Promise<T>, options: RetryOptions): Promise<T> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= options.attempts; attempt++) {
    try {
      return fn();
    } catch (error) {
      lastError = error;
      if (attempt < options.attempts) options.onRetry?.(error, attempt);
    }
  }
  throw lastError;
}
