import type { Frontier, FrontierPoint } from './types.js';

/**
 * The cost–solve frontier: points no other point dominates (spends no more and solves no fewer,
 * at least one strictly), sorted by spend, and the area under its step curve. The step curve is
 * solved(s) = the most tasks any frontier point with spend ≤ s solves (0 below the cheapest);
 * AUF = ∫₀^S solved(s) ds / (S·n) with S the largest spend among ALL points, so a mechanism that
 * solves many tasks cheaply raises the score and 1 means all n tasks solved at zero spend.
 * Points with negative spend count as spend 0. AUF is 0 when S ≤ 0 or n = 0.
 */
export function costSolveFrontier(options: { points: FrontierPoint[]; n: number }): Frontier {
  const { points, n } = options;
  const clamped = points.map((point) => ({ ...point, spendUsd: Math.max(0, point.spendUsd) }));
  const frontier = points
    .filter((_point, index) => {
      const own = clamped[index] as FrontierPoint;
      return !clamped.some(
        (other, otherIndex) =>
          otherIndex !== index &&
          other.spendUsd <= own.spendUsd &&
          other.solved >= own.solved &&
          (other.spendUsd < own.spendUsd || other.solved > own.solved),
      );
    })
    .sort((left, right) => left.spendUsd - right.spendUsd || right.solved - left.solved);
  const spendMax = clamped.reduce((max, point) => Math.max(max, point.spendUsd), 0);
  let area = 0;
  if (spendMax > 0 && n > 0) {
    const steps = frontier.map((point) => ({ spend: Math.max(0, point.spendUsd), solved: point.solved }));
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i] as { spend: number; solved: number };
      const end = i + 1 < steps.length ? (steps[i + 1] as { spend: number }).spend : spendMax;
      area += step.solved * Math.max(0, end - step.spend);
    }
    area /= spendMax * n;
  }
  return { points: frontier, auf: area, spendMax };
}
