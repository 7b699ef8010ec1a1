/**
 * The production-plan model of the simulation (issue #17). A worker on a task is either capable of
 * it (probability pMax) or not; a capable worker succeeds after spending T ~ Exponential(mean
 * `need`) USD; under a budget b it stops at the cap. So its success curve is saturating,
 * p(b) = pMax·(1 − exp(−b/need)), and its spend grows with the budget because failures burn the
 * whole budget: E[cost(b)] = pMax·need·(1 − exp(−b/need)) + (1 − pMax)·b.
 */
export interface PlanCurve {
  /** Probability the worker can solve the task at all (its ceiling as the budget grows). */
  pMax: number;
  /** Mean spend of a capable attempt before it succeeds, USD. */
  need: number;
}

/** P(success) under budget b: pMax·(1 − exp(−b/need)). */
export function curveSuccess(curve: PlanCurve, budgetUsd: number): number {
  return curve.pMax * saturation(curve, budgetUsd);
}

/** Expected spend under budget b: pMax·need·(1 − exp(−b/need)) + (1 − pMax)·b (see `PlanCurve`). */
export function curveExpectedCost(curve: PlanCurve, budgetUsd: number): number {
  return curve.pMax * curve.need * saturation(curve, budgetUsd) + (1 - curve.pMax) * budgetUsd;
}

/**
 * One attempt under budget b, given the cell's draws: a capable worker whose time to success fits
 * in the budget succeeds having spent it; any other attempt spends the whole budget and fails.
 * Coupled draws make outcomes monotone in the budget: more money never turns a success into a failure.
 */
export function curveAttempt(options: {
  /** Whether the worker can solve the task at all. */
  capable: boolean;
  /** What a capable attempt spends before it succeeds, USD. */
  timeToSuccess: number;
  /** The plan's budget, USD. */
  budgetUsd: number;
}): { resolved: boolean; costUsd: number } {
  const { capable, timeToSuccess, budgetUsd } = options;
  if (capable && timeToSuccess <= budgetUsd) return { resolved: true, costUsd: timeToSuccess };
  return { resolved: false, costUsd: budgetUsd };
}

function saturation(curve: PlanCurve, budgetUsd: number): number {
  if (!(curve.need > 0)) return 1;
  return 1 - Math.exp(-budgetUsd / curve.need);
}
