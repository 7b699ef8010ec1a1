import { MarketBenchError, type MarketBenchErrorOptions } from '../../core/errors.js';

/** No sandbox backend can run commands here; `reasons` says why for each backend tried. */
export class SandboxUnavailableError extends MarketBenchError {
  override name = 'SandboxUnavailableError';
  /** Backend name → why it cannot be used. */
  readonly reasons: Record<string, string>;

  constructor(reasons: Record<string, string>, options: MarketBenchErrorOptions = {}) {
    const detail = Object.entries(reasons)
      .map(([backend, reason]) => `${backend}: ${reason}`)
      .join('; ');
    super(`no sandbox backend is usable (${detail})`, options);
    this.reasons = reasons;
  }

  static override isInstance(error: unknown): error is SandboxUnavailableError {
    return MarketBenchError.isInstance(error) && error.name === 'SandboxUnavailableError';
  }
}

/** A sandbox operation that failed for a reason of the harness, not of the command (e.g. unreadable file). */
export class SandboxError extends MarketBenchError {
  override name = 'SandboxError';

  static override isInstance(error: unknown): error is SandboxError {
    return MarketBenchError.isInstance(error) && error.name === 'SandboxError';
  }
}
