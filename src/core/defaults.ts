/**
 * Defaults that more than one part of MarketBench uses, in one place (STYLE 14): the same quantity
 * keeps one name, with its unit, everywhere it is read.
 */
export const DEFAULTS = {
  /** Most rounds per task; a worker that failed is excluded from the later rounds (the paper's live market). */
  maxAttempts: 2,
  /** Bounty B of a solved task in the live market, in credits (the paper's 90). */
  bountyCredits: 90,
  /** Credits per USD, to turn token costs into credits (see `MarketSettingsSchema`). */
  creditsPerUsd: 10,
  /** Rate in the scoring auction's failure penalty φ = rate·B·(0.5 + p). */
  penaltyRate: 0.1,
  /** The principal's value V of a solved task in replay, simulation and the demo, USD. */
  valueUsd: 1,
  /** Bootstrap resamples of a paired comparison. */
  resamples: 10_000,
  /**
   * Budgets a `plans` elicitation (and a market's plan arms) offers when none are given: a tight,
   * a middle and a generous one, each a USD cap with a step cap.
   */
  planBudgets: [
    { budgetUsd: 0.1, maxSteps: 3 },
    { budgetUsd: 0.5, maxSteps: 5 },
    { budgetUsd: 2, maxSteps: 20 },
  ],
} as const;
