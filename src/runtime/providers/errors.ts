import { MarketBenchError } from '../../core/errors.js';

/** Why a model call failed for good. */
export type CallFailureReason =
  | 'http'
  | 'timeout'
  | 'network'
  | 'invalid-response'
  | 'aborted'
  | 'retry-after-too-long'
  | 'budget';

/** One try of a model call, as metered. */
export interface TryRecord {
  /** 1-based try number. */
  attempt: number;
  /** `ok`, or the failure reason of this try. */
  outcome: 'ok' | CallFailureReason;
  /** HTTP status when one was received. */
  status: number | undefined;
  /** Error message (redacted), when the try failed. */
  error: string | undefined;
  /** USD charged for this try: reported usage × price, the reservation when the provider may have billed without telling us, else 0. */
  costUsd: number;
  /** Milliseconds waited before the next try (0 for the last). */
  delayMs: number;
  /** Milliseconds the try took. */
  durationMs: number;
}

/** A model call that failed after its retries, was aborted, or could not fit in the budget. */
export class ProviderCallError extends MarketBenchError {
  override name = 'ProviderCallError';
  /** The model reference. */
  readonly ref: string;
  /** Why the last try failed. */
  readonly reason: CallFailureReason;
  /** HTTP status of the last try, when there was one. */
  readonly status: number | undefined;
  /** Every try, in order. */
  readonly tries: TryRecord[];
  /** USD charged over all tries. */
  readonly spentUsd: number;

  constructor(input: { ref: string; reason: CallFailureReason; message: string; status?: number; tries: TryRecord[]; cause?: unknown }) {
    super(`${input.ref}: ${input.message}`, { cause: input.cause });
    this.ref = input.ref;
    this.reason = input.reason;
    this.status = input.status;
    this.tries = input.tries;
    this.spentUsd = input.tries.reduce((sum, record) => sum + record.costUsd, 0);
  }

  /** True when `error` is a ProviderCallError (from any copy of the package). */
  static override isInstance(error: unknown): error is ProviderCallError {
    return MarketBenchError.isInstance(error) && error.name === 'ProviderCallError';
  }
}
