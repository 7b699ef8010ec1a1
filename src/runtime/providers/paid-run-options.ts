import type { PricingTable } from './pricing-table.js';
import type { ProviderLimits } from './provider-limiter.js';
import type { RetryPolicy } from './retry-policy.js';
import type { RunObserver } from '../jobs/observer.js';

/**
 * What every run that pays for model calls takes (`elicit`, `attempt`, `market`): limits on
 * concurrency and spend, the run id that makes a rerun resume, how to reach and price the
 * providers, and where progress goes.
 */
export interface PaidRunOptions {
  /** Units of work in flight at once. */
  concurrency?: number;
  /** Hard ceiling in USD, counted across sessions of the run (calls in flight included). */
  budgetUsd?: number;
  /** Run id (default: derived from the inputs, so the same command resumes). */
  runId?: string;
  /** Environment for API keys and base URLs. */
  env: Record<string, string | undefined>;
  /** Base URL for every provider (a local server or proxy). */
  baseUrl?: string;
  /** Price list (the built-in table, possibly merged with a user file). */
  pricingTable?: PricingTable;
  /** Retry policy of model calls. */
  retry?: Partial<RetryPolicy>;
  /** Per-provider limits (`default`, or by prefix / family). */
  providerLimits?: Record<string, ProviderLimits>;
  /** Receives progress events. */
  observer?: RunObserver;
  /** Stops the run (Ctrl-C). */
  signal?: AbortSignal;
  /** Custom fetch for the providers (tests). */
  fetch?: typeof globalThis.fetch;
}
