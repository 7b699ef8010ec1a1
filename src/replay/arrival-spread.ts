import type { Bid, Matrix, Random } from '../core/index.js';
import { tQuantile } from '../metrics/t-quantile.js';
import type { Mechanism, TaskRun, TaskView } from '../mechanisms/index.js';
import { banditRuns } from './bandit-runs.js';

/** Mean, sample sd and a 95% interval of the mean of one figure over seeded repetitions. */
export interface MeanSdCi {
  /** Mean over repetitions. */
  mean: number;
  /** Sample standard deviation (n − 1; 0 for a single value). */
  sd: number;
  /** 95% t interval of the mean, mean ± t(0.975, n − 1)·sd/√n; [mean, mean] for a single value. */
  ci: [number, number];
  /** The figure under each repetition, repetition 0 (the reported one) first. */
  values: number[];
}

/** A learner's headline figures under bandit feedback over several seeded arrival orders. */
export interface ArrivalSpread {
  /** Arrival orders replayed. */
  orders: number;
  /** Tasks solved. */
  solved: MeanSdCi;
  /** Actual cost, USD. */
  actualCostUsd: MeanSdCi;
  /** Welfare V·solved − actual cost, USD. */
  welfare: MeanSdCi;
}

/** Mean, sample sd and the 95% t interval of the mean of `values` (non-empty). */
export function meanSdCi(values: number[]): MeanSdCi {
  const n = values.length;
  const mean = values.reduce((sum, x) => sum + x, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (n - 1)) : 0;
  const half = n > 1 ? (tQuantile(0.975, n - 1) * sd) / Math.sqrt(n) : 0;
  return { mean, sd, ci: [mean - half, mean + half], values };
}

/**
 * The seeded arrival order number `k` of a bandit replay: a permutation of the matrix's task
 * indices (order 0 is the one every other figure of the replay uses).
 */
export function arrivalOrder(options: { tasks: number; root: Random; k: number }): number[] {
  const { tasks, root, k } = options;
  return root.fork(k === 0 ? 'arrival' : `arrival/${k}`).shuffle(Array.from({ length: tasks }, (_, index) => index));
}

/**
 * Solved, actual cost and welfare of a learner under bandit feedback over `orders` seeded
 * arrival orders (order 0 is given as `first`; the others are replayed, each with a fresh
 * mechanism from `fresh`, since online learners change in place). Under bandit feedback the
 * result depends on which tasks come first, so one order is one draw, not the answer.
 */
export function arrivalSpread(options: {
  matrix: Matrix;
  /** A new, unfitted instance of the mechanism per call. */
  fresh: () => Mechanism;
  first: readonly TaskRun[];
  orders: number;
  views: readonly TaskView[];
  bids: readonly Bid[][];
  maxAttempts: number;
  value: number;
  root: Random;
}): ArrivalSpread {
  const { matrix, fresh, first, orders, views, bids, maxAttempts, value, root } = options;
  const all: (readonly TaskRun[])[] = [first];
  for (let k = 1; k < orders; k++) {
    const arrival = arrivalOrder({ tasks: matrix.taskIds.length, root, k });
    all.push(banditRuns({ matrix, mechanism: fresh(), views, bids, arrival, maxAttempts, value, random: root }).runs);
  }
  const solved = all.map((runs) => runs.filter((run) => run.solved).length);
  const cost = all.map((runs) => runs.reduce((sum, run) => sum + run.costUsd, 0));
  return {
    orders: all.length,
    solved: meanSdCi(solved),
    actualCostUsd: meanSdCi(cost),
    welfare: meanSdCi(solved.map((s, index) => value * s - (cost[index] as number))),
  };
}
