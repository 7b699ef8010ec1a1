import type { Bid, Matrix, Random } from '../core/index.js';
import { type Mechanism, runTaskRounds, type TaskView } from '../mechanisms/index.js';
import { crossFitFolds, foldCountOf } from './folds.js';
import { attemptRecord, foldHistories } from './matrix-views.js';
import { RunColumns } from './run-columns.js';

/** Mean and sample standard deviation (n − 1; 0 for a single value) of one figure over fold assignments. */
export interface MeanSd {
  /** Mean over assignments. */
  mean: number;
  /** Sample standard deviation over assignments. */
  sd: number;
  /** The figure under each assignment, assignment 0 (the reported one) first. */
  values: number[];
}

/** A learned mechanism's headline figures over several seeded cross-fitting fold assignments. */
export interface FoldSpread {
  /** Fold assignments replayed. */
  assignments: number;
  /** Tasks solved. */
  solved: MeanSd;
  /** Actual cost, USD. */
  actualCostUsd: MeanSd;
  /** Welfare V·solved − actual cost, USD. */
  welfare: MeanSd;
}

/** The seeded fold assignment number `k` (0 is the one every other figure of the replay uses). */
export function foldAssignment(options: { taskIds: string[]; folds: number; root: Random; k: number }): number[] {
  const { taskIds, folds, root, k } = options;
  return crossFitFolds({ taskIds, folds, random: root.fork(k === 0 ? 'folds' : `folds/${k}`) });
}

/**
 * Cross-fitted runs of one mechanism under one fold assignment: fitted once per fold on the other
 * folds' tasks, each task allocated by its own fold's fit. Returns the runs as columns in matrix
 * order (each task run is stored and dropped as soon as it ends) and the fitted mechanisms in
 * fold order.
 */
export function crossFittedRuns(options: {
  matrix: Matrix;
  mechanism: Mechanism;
  foldOf: number[];
  views: readonly TaskView[];
  /** Bids of the task at a matrix index (built per task, so no replay holds every task's bids at once). */
  bidsOf: (index: number) => Bid[];
  maxAttempts: number;
  value: number;
  /** The replay's root randomness (forked per fold, per task; the same forks for every assignment). */
  root: Random;
}): { columns: RunColumns; fitted: Mechanism[] } {
  const { matrix, mechanism, foldOf, views, bidsOf, maxAttempts, value, root } = options;
  const folds = foldCountOf(foldOf);
  // Histories only for a mechanism that learns (typed columns; cell objects only if it reads them).
  const learn = mechanism.fit?.bind(mechanism);
  const fitted = learn
    ? foldHistories({ matrix, foldOf, folds, views }).map((history, fold) => learn(history, root.fork(`fit/${mechanism.name}/${fold}`), { value, maxAttempts }))
    : Array.from({ length: folds }, () => mechanism);
  const columns = new RunColumns(matrix.taskIds);
  matrix.taskIds.forEach((taskId, index) => {
    const run = runTaskRounds({
      mechanism: fitted[foldOf[index] as number] as Mechanism,
      task: views[index] as TaskView,
      bids: bidsOf(index),
      roster: matrix.workerIds,
      attempt: (workerId) => attemptRecord(matrix, taskId, workerId),
      maxAttempts,
      value,
      random: root.fork(`task/${mechanism.name}/${taskId}`),
    });
    columns.add(index, run);
  });
  return { columns, fitted };
}

function solvedCount(columns: RunColumns): number {
  let count = 0;
  for (const solved of columns.solved) count += solved;
  return count;
}

/** Summed in task order, as the replay's own total. */
function costTotal(columns: RunColumns): number {
  let total = 0;
  for (const cost of columns.costUsd) total += cost;
  return total;
}

function meanSd(values: number[]): MeanSd {
  const mean = values.reduce((sum, x) => sum + x, 0) / values.length;
  const variance = values.length > 1 ? values.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (values.length - 1) : 0;
  return { mean, sd: Math.sqrt(variance), values };
}

/**
 * Solved, actual cost and welfare of a learned mechanism over `assignments` seeded fold
 * assignments (assignment 0 is given as `first`, the others are replayed). The forecasts stay
 * those of assignment 0: only what the mechanism learns is re-cross-fitted, so the spread is the
 * learner's sensitivity to which tasks it was trained on.
 */
export function foldSpread(options: {
  matrix: Matrix;
  mechanism: Mechanism;
  /** Assignment 0's runs. */
  first: RunColumns;
  assignments: number;
  folds: number;
  views: readonly TaskView[];
  bidsOf: (index: number) => Bid[];
  maxAttempts: number;
  value: number;
  root: Random;
}): FoldSpread {
  const { matrix, first, assignments, folds, root, value } = options;
  // Only each assignment's two totals are kept, never its runs.
  const solved = [solvedCount(first)];
  const cost = [costTotal(first)];
  for (let k = 1; k < assignments; k++) {
    const foldOf = foldAssignment({ taskIds: matrix.taskIds, folds, root, k });
    const { columns } = crossFittedRuns({ ...options, foldOf });
    solved.push(solvedCount(columns));
    cost.push(costTotal(columns));
  }
  return {
    assignments: solved.length,
    solved: meanSd(solved),
    actualCostUsd: meanSd(cost),
    welfare: meanSd(solved.map((s, index) => value * s - (cost[index] as number))),
  };
}
