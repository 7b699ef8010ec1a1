import type { Frontier, FrontierPoint } from './types.js';

/**
 * The cost–solve frontier on ACTUAL cost (what the work cost, not what the mechanism's rules
 * paid: payments built from low token forecasts would make auctions look cheap, DESIGN §5):
 * points no other point dominates (costs no more and solves no fewer, at least one strictly),
 * sorted by actual cost, and the area under its step curve. The step curve is solved(c) = the
 * most tasks any frontier point with cost ≤ c solves (0 below the cheapest);
 * AUF = ∫₀^C solved(c) dc / (C·n) with C the largest cost among ALL points, so a mechanism that
 * solves many tasks cheaply raises the score and 1 means all n tasks solved at zero cost.
 * Negative costs count as 0. AUF is 0 when C ≤ 0 or n = 0.
 */
export function costSolveFrontier(options: { points: FrontierPoint[]; n: number }): Frontier {
  const { points, n } = options;
  const clamped = points.map((point) => ({ ...point, actualCostUsd: Math.max(0, point.actualCostUsd) }));
  const frontier = points
    .filter((_point, index) => {
      const own = clamped[index] as FrontierPoint;
      return !clamped.some(
        (other, otherIndex) =>
          otherIndex !== index &&
          other.actualCostUsd <= own.actualCostUsd &&
          other.solved >= own.solved &&
          (other.actualCostUsd < own.actualCostUsd || other.solved > own.solved),
      );
    })
    .sort((left, right) => left.actualCostUsd - right.actualCostUsd || right.solved - left.solved);
  const costMax = clamped.reduce((max, point) => Math.max(max, point.actualCostUsd), 0);
  let area = 0;
  if (costMax > 0 && n > 0) {
    const steps = frontier.map((point) => ({ cost: Math.max(0, point.actualCostUsd), solved: point.solved }));
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as { cost: number; solved: number };
      const end = i + 1 < steps.length ? (steps[i + 1] as { cost: number }).cost : costMax;
      area += step.solved * Math.max(0, end - step.cost);
    }
    area /= costMax * n;
  }
  return { points: frontier, auf: area, costMax };
}

/** Mechanism names ranked by welfare (V·solved − actual cost), ties to fewer actual dollars, then name order. */
export function rankByWelfare(mechanisms: Record<string, { welfare: number; actualCostUsd: number }>): string[] {
  return Object.entries(mechanisms)
    .map(([name, result], index) => ({ name, result, index }))
    .sort((a, b) => b.result.welfare - a.result.welfare || a.result.actualCostUsd - b.result.actualCostUsd || a.index - b.index)
    .map((entry) => entry.name);
}
