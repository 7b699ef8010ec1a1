import type { ReserveTreatment } from '../economics/index.js';
import { clusterBootstrap } from './cluster-bootstrap.js';
import { type BootstrapSettings, distinctSorted, kernelRows, kernelStatIndex, pickRows, type SetInput } from './set-summaries.js';
import { StatKernel } from './stat-kernel.js';
import type { Interval } from './summary.js';

/** Figures compared between two elicitation treatments. */
export const COMPARED_STATS = ['brier', 'ece', 'auroc', 'meanP', 'medianTokenRatio', 'realizedProfit'] as const;

/** One compared figure's value under each treatment. */
export type ComparedFigures = Record<(typeof COMPARED_STATS)[number], number>;

/**
 * Change from the baseline treatment to the other one (other − baseline) on the paired rows:
 * the (task, worker) pairs present under both. `realizedProfit` is the pay-reserve auction's
 * realized profit (paper's definition). Intervals are task-level paired bootstrap CIs: each
 * resample draws tasks and keeps both treatments' rows of a drawn task.
 */
export interface TreatmentDelta {
  /** Paired (task, worker) rows per treatment. */
  n: number;
  /** Distinct paired tasks. */
  tasks: number;
  /** Δ Brier (negative = better calibrated under the other treatment). */
  brier: number;
  /** CI of Δ Brier. */
  brierCi: Interval;
  /** Δ ECE. */
  ece: number;
  /** CI of Δ ECE. */
  eceCi: Interval;
  /** Δ AUROC. */
  auroc: number;
  /** CI of Δ AUROC. */
  aurocCi: Interval;
  /** Δ mean stated p. */
  meanP: number;
  /** CI of Δ mean p. */
  meanPCi: Interval;
  /** Δ median token ratio. */
  medianTokenRatio: number;
  /** CI of Δ median token ratio. */
  medianTokenRatioCi: Interval;
  /** Δ mean realized auction profit (pay-reserve, paper's definition), USD per row. */
  realizedProfit: number;
  /** CI of Δ realized profit. */
  realizedProfitCi: Interval;
  /** The figures under the baseline treatment (same paired rows). */
  before: ComparedFigures;
  /** The figures under the other treatment. */
  after: ComparedFigures;
}

/** Treatment comparison: per worker and overall. */
export interface TreatmentComparison {
  /** Baseline treatment (e.g. `direct`). */
  baseline: string;
  /** The other treatment (e.g. `card`). */
  treatment: string;
  /** All workers' paired rows together. */
  overall: TreatmentDelta;
  /** Per worker. */
  byWorker: Record<string, TreatmentDelta>;
}

/** Compares two elicitation treatments on the same tasks and workers. */
export function compareTreatments(options: {
  /** All rows (both treatments, possibly others). */
  input: SetInput;
  /** Baseline treatment. */
  baseline: string;
  /** Other treatment. */
  treatment: string;
  /** Bootstrap settings. */
  bootstrap: BootstrapSettings;
  /** Reliability bins. */
  bins: number;
}): TreatmentComparison {
  const { input, baseline, treatment, bootstrap, bins } = options;
  const key = (row: { taskId: string; workerId: string }) => `${row.taskId}\u0000${row.workerId}`;
  const keysOf = (name: string) => new Set(input.rows.filter((row) => row.treatment === name).map(key));
  const baseKeys = keysOf(baseline);
  const otherKeys = keysOf(treatment);
  const paired = (name: string) => pickRows(input, (row) => row.treatment === name && baseKeys.has(key(row)) && otherKeys.has(key(row)));
  const before = paired(baseline);
  const after = paired(treatment);
  const taskIds = distinctSorted(before.rows.map((row) => row.taskId));
  const workerIds = distinctSorted(before.rows.map((row) => row.workerId));
  const kernels = [before, after].map((set) => new StatKernel(kernelRows({ input: set, taskIds, workerIds, bins })));
  const stride = (kernels[0] as StatKernel).stride;
  const width = (workerIds.length + 1) * stride;
  // Reported vector: [baseline | other | other − baseline].
  const stats = clusterBootstrap({
    kernels,
    nTasks: taskIds.length,
    resamples: bootstrap.resamples,
    random: bootstrap.random,
    level: bootstrap.level,
    width: 3 * width,
    combine: ([a, b], into) => {
      into.set(a as Float64Array, 0);
      into.set(b as Float64Array, width);
      for (let k = 0; k < width; k++) into[2 * width + k] = ((b as Float64Array)[k] as number) - ((a as Float64Array)[k] as number);
    },
  });
  const delta = (set: number, rows: number, tasks: number): TreatmentDelta => {
    const at = (block: number, name: string) => block * width + set * stride + kernelStatIndex(name, 'pay-reserve' as ReserveTreatment);
    const figures = (block: number) =>
      Object.fromEntries(COMPARED_STATS.map((name) => [name, stats.point[at(block, name)] as number])) as ComparedFigures;
    const ci = (name: string): Interval =>
      bootstrap.resamples > 0 ? [stats.lo[at(2, name)] as number, stats.hi[at(2, name)] as number] : null;
    const value = (name: string) => stats.point[at(2, name)] as number;
    return {
      n: rows,
      tasks,
      brier: value('brier'),
      brierCi: ci('brier'),
      ece: value('ece'),
      eceCi: ci('ece'),
      auroc: value('auroc'),
      aurocCi: ci('auroc'),
      meanP: value('meanP'),
      meanPCi: ci('meanP'),
      medianTokenRatio: value('medianTokenRatio'),
      medianTokenRatioCi: ci('medianTokenRatio'),
      realizedProfit: value('realizedProfit'),
      realizedProfitCi: ci('realizedProfit'),
      before: figures(0),
      after: figures(1),
    };
  };
  const byWorker: Record<string, TreatmentDelta> = {};
  workerIds.forEach((workerId, set) => {
    const rows = before.rows.filter((row) => row.workerId === workerId);
    byWorker[workerId] = delta(set, rows.length, new Set(rows.map((row) => row.taskId)).size);
  });
  return { baseline, treatment, overall: delta(workerIds.length, before.rows.length, taskIds.length), byWorker };
}
