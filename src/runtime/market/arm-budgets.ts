import { Budget } from '../jobs/budget.js';
import type { SpendGate, SpendReservation } from '../jobs/spend-gate.js';

/**
 * One budget per arm: the run's budget split evenly (budget / arms), so an arm that spends freely
 * cannot starve another. Paid steps of one arm reserve from its own budget; a step several arms
 * share (a task's bids) reserves from each of them an equal share (`split`); a step one arm paid and
 * another uses (a shared attempt, or a step done in an earlier session) is charged to the user on
 * first use (`charge`), so an arm's spending means the same with and without sharing.
 */
export class ArmBudgets {
  private readonly budgets = new Map<string, Budget>();
  private readonly charged = new Set<string>();

  constructor(options: { arms: readonly string[]; totalUsd?: number | undefined; priorUsd?: Record<string, number> }) {
    const share = options.totalUsd === undefined ? undefined : options.totalUsd / Math.max(1, options.arms.length);
    for (const arm of options.arms) this.budgets.set(arm, new Budget({ limitUsd: share, priorSpendUsd: options.priorUsd?.[arm] ?? 0 }));
  }

  /** The arm's budget. */
  of(arm: string): Budget {
    const budget = this.budgets.get(arm);
    if (!budget) throw new Error(`no budget for arm '${arm}'`);
    return budget;
  }

  /** A gate that reserves an equal share of every amount from each of `arms` (all or nothing). */
  split(arms: readonly string[]): SpendGate {
    const budgets = arms.map((arm) => this.of(arm));
    const k = budgets.length;
    const tryReserve = (amountUsd: number): SpendReservation | undefined => {
      const parts: SpendReservation[] = [];
      for (const budget of budgets) {
        const part = budget.tryReserve(amountUsd / k);
        if (!part) {
          for (const taken of parts) taken.settle(0);
          return undefined;
        }
        parts.push(part);
      }
      return {
        amountUsd,
        settle: (actualUsd) => {
          for (const part of parts) part.settle(actualUsd / k);
        },
      };
    };
    return {
      tryReserve,
      get limitUsd() {
        return budgets.reduce((sum, budget) => sum + budget.limitUsd, 0);
      },
      get committedUsd() {
        return budgets.reduce((sum, budget) => sum + budget.committedUsd, 0);
      },
      reserveWhenPossible: async (amountUsd) => {
        for (;;) {
          const reservation = tryReserve(amountUsd);
          if (reservation) return reservation;
          const busy = budgets.filter((budget) => budget.reservedUsd > 0);
          if (busy.length === 0) return undefined;
          await Promise.race(busy.map((budget) => budget.nextSettle()));
        }
      },
    };
  }

  /** Records that these arms already paid their share of `key` in this session (a fresh step). */
  markPaid(key: string, arms: readonly string[]): void {
    for (const arm of arms) this.charged.add(`${key}\u0000${arm}`);
  }

  /**
   * Charges `usd` of step `key` to `arm` unless it already paid for it in this session; false when
   * the arm's budget cannot hold it (the arm stops).
   */
  async charge(arm: string, key: string, usd: number): Promise<boolean> {
    const id = `${key}\u0000${arm}`;
    if (this.charged.has(id)) return true;
    const reservation = await this.of(arm).reserveWhenPossible(usd);
    if (!reservation) return false;
    reservation.settle(usd);
    this.charged.add(id);
    return true;
  }
}
