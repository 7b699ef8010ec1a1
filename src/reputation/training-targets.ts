import type { Random } from '../core/index.js';
import { type CalibrationMethod, fitCalibrationMap } from './calibration-map.js';
import { crossFitCalibrated } from './cross-fit.js';
import { splitTasks, type TrainingSplit } from './training-split.js';

/** One labelled forecast as the training export needs it. */
export interface TrainingRow {
  /** The task. */
  taskId: string;
  /** The worker. */
  workerId: string;
  /** Stated probability. */
  p: number;
  /** Outcome, 0 or 1. */
  y: 0 | 1;
}

/** A row's split and its target probability. */
export interface TrainingTarget {
  /** Train or validation, by task. */
  split: TrainingSplit;
  /** The calibrated probability the worker should have stated. */
  target: number;
}

/**
 * Empirical targets: a row's target is its worker's smoothed outcome rate (s + α) / (n + 2α),
 * where n and s count the worker's labelled rows and resolved rows on TRAINING tasks and α is the
 * smoothing (1 = Laplace, 0.5 = Jeffreys-like). A training row's counts leave out every row of its
 * own task (leave-one-task-out), so no outcome shapes its own target; a validation row's counts are
 * all of the worker's training rows. With α = 0 and no rows counted the target is the stated p.
 */
export function empiricalTargets(options: {
  /** The rows. */
  rows: readonly TrainingRow[];
  /** Each row's split (same order as `rows`). */
  splits: readonly TrainingSplit[];
  /** Smoothing α ≥ 0. */
  smoothing: number;
}): number[] {
  const { rows, splits, smoothing } = options;
  // Per worker: training totals, and per task its training rows' share of them.
  const totals = new Map<string, { n: number; s: number; byTask: Map<string, { n: number; s: number }> }>();
  rows.forEach((row, i) => {
    if (splits[i] !== 'train') return;
    const total = totals.get(row.workerId) ?? { n: 0, s: 0, byTask: new Map() };
    const task = total.byTask.get(row.taskId) ?? { n: 0, s: 0 };
    total.n++;
    total.s += row.y;
    task.n++;
    task.s += row.y;
    total.byTask.set(row.taskId, task);
    totals.set(row.workerId, total);
  });
  return rows.map((row, i) => {
    const total = totals.get(row.workerId) ?? { n: 0, s: 0, byTask: new Map() };
    const own = splits[i] === 'train' ? (total.byTask.get(row.taskId) ?? { n: 0, s: 0 }) : { n: 0, s: 0 };
    const n = total.n - own.n;
    const s = total.s - own.s;
    return n + 2 * smoothing > 0 ? (s + smoothing) / (n + 2 * smoothing) : row.p;
  });
}

/**
 * Target probabilities for self-assessment training: each worker's stated p passed through its
 * own calibration map, fitted so that no row's outcome shapes its own target and no validation
 * outcome shapes any target. Tasks are split first (seeded, by task); a training row's target comes
 * from a map cross-fitted by task within the worker's training rows; a validation row's target
 * from a map fitted on all of the worker's training rows. A worker with too few training rows
 * keeps its stated p (the maps' identity below `MIN_CALIBRATION_ROWS`).
 */
export function trainingTargets(options: {
  /** The rows. */
  rows: readonly TrainingRow[];
  /** Calibration method (default isotonic). */
  method?: CalibrationMethod;
  /** When set, empirical targets with this smoothing α instead of the map (see `empiricalTargets`). */
  smoothing?: number | undefined;
  /** Share of tasks held out for validation (default 0.2). */
  validationShare?: number;
  /** Cross-fitting folds (default 10). */
  folds?: number;
  /** Seeded randomness (the split, then the folds). */
  random: Random;
}): TrainingTarget[] {
  const { rows, random } = options;
  const method = options.method ?? 'isotonic';
  const split = splitTasks({ taskIds: rows.map((row) => row.taskId), validationShare: options.validationShare ?? 0.2, random });
  const out: TrainingTarget[] = rows.map((row) => ({ split: split.get(row.taskId) ?? 'train', target: row.p }));
  if (options.smoothing !== undefined) {
    const empirical = empiricalTargets({ rows, splits: out.map((row) => row.split), smoothing: options.smoothing });
    return out.map((row, i) => ({ split: row.split, target: empirical[i] as number }));
  }
  const workers = [...new Set(rows.map((row) => row.workerId))].sort();
  for (const workerId of workers) {
    const own = rows.map((row, index) => ({ row, index })).filter(({ row }) => row.workerId === workerId);
    const train = own.filter(({ index }) => out[index]!.split === 'train');
    const validation = own.filter(({ index }) => out[index]!.split === 'validation');
    const fitted = crossFitCalibrated({
      taskIds: train.map(({ row }) => row.taskId),
      p: train.map(({ row }) => row.p),
      y: train.map(({ row }) => row.y),
      method,
      ...(options.folds === undefined ? {} : { folds: options.folds }),
      random,
    });
    train.forEach(({ index }, i) => {
      out[index]!.target = fitted[i] as number;
    });
    const map = fitCalibrationMap({ method, p: train.map(({ row }) => row.p), y: train.map(({ row }) => row.y) });
    for (const { row, index } of validation) out[index]!.target = map.apply(row.p);
  }
  return out;
}

/** A preference pair: two answers to the same prompt, the better one closer to the outcome. */
export interface PreferencePair {
  /** The p of the preferred answer. */
  chosen: number;
  /** The p of the other answer. */
  rejected: number;
}

/**
 * The stated and the target answer as a preference pair, the one with the lower Brier score
 * (p − y)² preferred; null when both score the same (nothing to prefer).
 */
export function preferencePair(options: { stated: number; target: number; y: 0 | 1 }): PreferencePair | null {
  const stated = (options.stated - options.y) ** 2;
  const target = (options.target - options.y) ** 2;
  if (stated === target) return null;
  return stated < target ? { chosen: options.stated, rejected: options.target } : { chosen: options.target, rejected: options.stated };
}
