import { MarketBenchError, type MarketBenchErrorOptions } from '../../../core/errors.js';

/**
 * The queue cannot be used: Redis unreachable, credentials refused, jobs of an incompatible
 * version, or Redis gone for longer than the run waits. An infrastructure failure, never recorded
 * as a worker failing; the run stops with its state resumable.
 */
export class QueueError extends MarketBenchError {
  override name = 'QueueError';

  constructor(message: string, options: MarketBenchErrorOptions = {}) {
    super(message, options);
  }

  /** True when `error` is a QueueError (from any copy of the package). */
  static override isInstance(error: unknown): error is QueueError {
    return MarketBenchError.isInstance(error) && error.name === 'QueueError';
  }
}
