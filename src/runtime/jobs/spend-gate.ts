/** Money set aside for one paid try; settled to the real cost once it is known. */
export interface SpendReservation {
  /** The amount set aside in USD. */
  readonly amountUsd: number;
  /** Replaces the reservation by the actual cost (0 when nothing was billed). Settling twice is a no-op. */
  settle(actualUsd: number): void;
}

/**
 * What `callModel` needs from a budget: set money aside before a try, refused when it would not
 * fit. `Budget` in runtime/harness implements it.
 */
export interface SpendGate {
  /** A reservation of `amountUsd`, or undefined when the budget cannot hold it. */
  tryReserve(amountUsd: number): SpendReservation | undefined;
  /** The ceiling in USD (Infinity when unlimited). */
  readonly limitUsd: number;
  /** Spent plus reserved, in USD. */
  readonly committedUsd: number;
  /**
   * Like `tryReserve`, but waits while other reservations are in flight and may settle lower;
   * undefined only when the amount does not fit with nothing else in flight.
   */
  reserveWhenPossible?(amountUsd: number): Promise<SpendReservation | undefined>;
}
