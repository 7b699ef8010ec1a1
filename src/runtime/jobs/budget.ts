import type { SpendGate, SpendReservation } from './spend-gate.js';

/**
 * A hard spending ceiling that counts calls in flight. Every paid try first reserves its
 * pessimistic cost; a reservation that would take spent + reserved past the limit is refused, so
 * the sum of settled costs never exceeds the limit as long as no try costs more than it reserved.
 * Money spent by earlier sessions of the same run is passed in as `priorSpendUsd`.
 */
export class Budget implements SpendGate {
  /** The ceiling in USD (Infinity when unlimited). */
  readonly limitUsd: number;
  private spent: number;
  private reserved = 0;
  private overrun = 0;
  private waiters: (() => void)[] = [];
  private open = 0;

  constructor(options: { limitUsd?: number; priorSpendUsd?: number } = {}) {
    this.limitUsd = options.limitUsd ?? Number.POSITIVE_INFINITY;
    this.spent = options.priorSpendUsd ?? 0;
  }

  /** Settled spending in USD (prior sessions included). */
  get spentUsd(): number {
    return this.spent;
  }

  /** Money set aside for tries in flight. */
  get reservedUsd(): number {
    return this.reserved;
  }

  /** Spent plus reserved. */
  get committedUsd(): number {
    return this.spent + this.reserved;
  }

  /** What is left for new reservations. */
  get remainingUsd(): number {
    return Math.max(0, this.limitUsd - this.committedUsd);
  }

  /** Total by which settled tries exceeded their reservations (should stay 0). */
  get overrunUsd(): number {
    return this.overrun;
  }

  /** Whether a reservation of this size would fit now. */
  fits(amountUsd: number): boolean {
    return this.committedUsd + amountUsd <= this.limitUsd + 1e-12;
  }

  /**
   * Reserves `amountUsd`, waiting while other reservations are in flight (they usually settle
   * far below their pessimistic amount); undefined when it does not fit with nothing in flight.
   */
  async reserveWhenPossible(amountUsd: number): Promise<SpendReservation | undefined> {
    for (;;) {
      const reservation = this.tryReserve(amountUsd);
      if (reservation || this.open === 0) return reservation;
      await this.nextSettle();
    }
  }

  /** Resolves at the next settlement of any reservation. */
  nextSettle(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Reserves `amountUsd`; undefined when it does not fit. */
  tryReserve(amountUsd: number): SpendReservation | undefined {
    if (!(amountUsd >= 0) || !this.fits(amountUsd)) return undefined;
    this.reserved += amountUsd;
    this.open++;
    let settled = false;
    return {
      amountUsd,
      settle: (actualUsd: number) => {
        if (settled) return;
        settled = true;
        this.open--;
        this.reserved = this.open === 0 ? 0 : this.reserved - amountUsd;
        this.spent += actualUsd;
        if (actualUsd > amountUsd) this.overrun += actualUsd - amountUsd;
        const waiters = this.waiters;
        this.waiters = [];
        for (const wake of waiters) wake();
      },
    };
  }
}
