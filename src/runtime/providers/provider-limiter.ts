import { createRequire } from 'node:module';
import type Bottleneck from 'bottleneck';

/** Limits of one provider. */
export interface ProviderLimits {
  /** Requests in flight at once (unlimited when omitted). */
  concurrency?: number;
  /** Requests started per minute (unlimited when omitted); spaced evenly. */
  requestsPerMinute?: number;
}

/**
 * Concurrency and rate limit of one provider (Bottleneck), plus a shared pause: when a provider
 * answers 429 with Retry-After, every call to it waits until then, not only the one refused.
 */
export class ProviderLimiter {
  private readonly bottleneck: Bottleneck | undefined;
  private pausedUntil = 0;

  constructor(limits: ProviderLimits = {}) {
    const unlimited = limits.concurrency === undefined && limits.requestsPerMinute === undefined;
    // Loaded only when a limit is set: an unlimited run (the default) never needs the package.
    this.bottleneck = unlimited
      ? undefined
      : new (createRequire(import.meta.url)('bottleneck') as typeof Bottleneck)({
          maxConcurrent: limits.concurrency ?? null,
          minTime: limits.requestsPerMinute ? Math.ceil(60_000 / limits.requestsPerMinute) : 0,
        });
  }

  /** Runs `work` when the limits allow it (and after any pause). */
  async schedule<T>(work: () => Promise<T>): Promise<T> {
    const run = async () => {
      const wait = this.pausedUntil - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      return work();
    };
    return this.bottleneck ? this.bottleneck.schedule(run) : run();
  }

  /** Holds every later call to this provider for `ms` milliseconds from now. */
  pauseFor(ms: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
  }
}

/** One limiter per provider key, created on first use. */
export class ProviderLimiters {
  private readonly limiters = new Map<string, ProviderLimiter>();

  /** `limits` by provider prefix or family (`openai`, `ollama`, …); `default` applies to the rest. */
  constructor(private readonly limits: Record<string, ProviderLimits> = {}) {}

  /** The limiter of a provider prefix (falls back to the family's limits, then `default`). */
  get(prefix: string, family?: string): ProviderLimiter {
    let limiter = this.limiters.get(prefix);
    if (!limiter) {
      limiter = new ProviderLimiter(this.limits[prefix] ?? (family ? this.limits[family] : undefined) ?? this.limits.default);
      this.limiters.set(prefix, limiter);
    }
    return limiter;
  }
}
