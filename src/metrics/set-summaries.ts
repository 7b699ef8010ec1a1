import type { LabeledForecast, Random } from '../core/index.js';
import { RESERVE_TREATMENTS, type ReserveTreatment } from '../economics/index.js';
import { clusterBootstrap } from './cluster-bootstrap.js';
import type { RowAuction } from './row-economics.js';
import { KERNEL_STATS, type KernelRows, StatKernel } from './stat-kernel.js';
import { buildSummary, type Interval, type Summary } from './summary.js';

/** Rows to summarize together with their derived per-row values. */
export interface SetInput {
  /** The rows. */
  rows: readonly LabeledForecast[];
  /** Token ratio T̂/T per row (NaN unknown). */
  ratios: Float64Array;
  /** Auction figures per row (null when ĉ is unknown). */
  economics: readonly (Record<ReserveTreatment, RowAuction> | null)[];
}

/** Bootstrap settings. */
export interface BootstrapSettings {
  /** Resamples of tasks (0: no intervals). */
  resamples: number;
  /** Coverage, e.g. 0.95. */
  level: number;
  /** Seeded source of the resamples. */
  random: Random;
}

/** Overall and per-worker summaries of a set of rows. */
export interface SetSummaries {
  /** All rows together. */
  overall: Summary;
  /** One summary per worker, keyed by worker id, in sorted order. */
  byWorker: Record<string, Summary>;
}

/** Auction figures bootstrapped as per-row means; `oracleGap` is their difference oracle − realized. */
const AUCTION_MEANS = ['winRate', 'expectedProfit', 'realizedProfit', 'realizedProfitFull', 'oracleProfit'] as const;

/** Index of a named statistic in the kernel output of one set (auction names need a treatment). */
export function kernelStatIndex(name: string, treatment: ReserveTreatment = 'pay-reserve'): number {
  const fixed = (KERNEL_STATS as readonly string[]).indexOf(name);
  if (fixed >= 0) return fixed;
  const t = RESERVE_TREATMENTS.indexOf(treatment);
  const means = RESERVE_TREATMENTS.length * AUCTION_MEANS.length;
  const column = (AUCTION_MEANS as readonly string[]).indexOf(name);
  if (column >= 0) return KERNEL_STATS.length + t * AUCTION_MEANS.length + column;
  if (name === 'winShare') return KERNEL_STATS.length + means + t;
  if (name === 'oracleGap') return KERNEL_STATS.length + means + RESERVE_TREATMENTS.length + t;
  throw new RangeError(`unknown kernel statistic '${name}'`);
}

/**
 * Columnar kernel input of a row set: tasks and workers are indexed in first-seen order of
 * `taskIds` / `workerIds` (pass shared lists to put two row sets in one index space).
 */
export function kernelRows(options: { input: SetInput; taskIds: readonly string[]; workerIds: readonly string[]; bins: number }): KernelRows {
  const { input, taskIds, workerIds, bins } = options;
  const taskOf = new Map(taskIds.map((id, i) => [id, i]));
  const workerOf = new Map(workerIds.map((id, i) => [id, i]));
  const n = input.rows.length;
  const meanColumns: Float64Array[] = [];
  const shareColumns: Float64Array[] = [];
  const differences: [number, number][] = [];
  RESERVE_TREATMENTS.forEach((treatment, t) => {
    for (const name of AUCTION_MEANS) {
      meanColumns.push(Float64Array.from(input.economics, (entry) => (entry === null ? Number.NaN : entry[treatment][name])));
    }
    const base = t * AUCTION_MEANS.length;
    differences.push([base + AUCTION_MEANS.indexOf('oracleProfit'), base + AUCTION_MEANS.indexOf('realizedProfit')]);
    shareColumns.push(Float64Array.from(input.economics, (entry) => (entry === null ? 0 : entry[treatment].multiWins)));
  });
  return {
    taskIndex: Int32Array.from(input.rows, (row) => taskOf.get(row.taskId) as number),
    setIndex: Int32Array.from(input.rows, (row) => workerOf.get(row.workerId) as number),
    nTasks: taskIds.length,
    nSets: workerIds.length,
    p: Float64Array.from(input.rows, (row) => row.p),
    y: Float64Array.from(input.rows, (row) => row.y),
    meanColumns,
    shareColumns,
    differences,
    ratio: input.ratios.length === n ? input.ratios : new Float64Array(n).fill(Number.NaN),
    bins,
  };
}

/** Sorted distinct values. */
export function distinctSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/**
 * Overall and per-worker summaries with task-clustered bootstrap intervals: one resample of
 * tasks is shared by the overall figures and every worker's, so all intervals come from the
 * same resamples.
 */
export function summarizeSet(options: { input: SetInput; bootstrap: BootstrapSettings; exact: boolean; bins: number }): SetSummaries {
  const { input, bootstrap, exact, bins } = options;
  const taskIds = distinctSorted(input.rows.map((row) => row.taskId));
  const workerIds = distinctSorted(input.rows.map((row) => row.workerId));
  const kernel = new StatKernel(kernelRows({ input, taskIds, workerIds, bins }));
  const stats = clusterBootstrap({
    kernels: [kernel],
    nTasks: taskIds.length,
    resamples: bootstrap.resamples,
    random: bootstrap.random,
    level: bootstrap.level,
  });
  const lookup = (set: number) => (name: string, treatment?: ReserveTreatment): Interval => {
    if (bootstrap.resamples <= 0) return null;
    const k = set * kernel.stride + kernelStatIndex(name, treatment);
    return [stats.lo[k] as number, stats.hi[k] as number];
  };
  const unionWins = {} as Record<ReserveTreatment, number>;
  for (const treatment of RESERVE_TREATMENTS) {
    unionWins[treatment] = input.economics.reduce((s, entry) => s + (entry === null ? 0 : entry[treatment].multiWins), 0);
  }
  const overall = buildSummary({ ...input, unionWins, exact }, lookup(workerIds.length));
  const byWorker: Record<string, Summary> = {};
  workerIds.forEach((workerId, set) => {
    const picked = pickRows(input, (row) => row.workerId === workerId);
    byWorker[workerId] = buildSummary({ ...picked, unionWins, exact }, lookup(set));
  });
  return { overall, byWorker };
}

/** The rows (and their derived values) that satisfy a predicate. */
export function pickRows(input: SetInput, keep: (row: LabeledForecast) => boolean): SetInput {
  const indices: number[] = [];
  input.rows.forEach((row, i) => {
    if (keep(row)) indices.push(i);
  });
  return {
    rows: indices.map((i) => input.rows[i] as LabeledForecast),
    ratios: Float64Array.from(indices, (i) => input.ratios[i] as number),
    economics: indices.map((i) => input.economics[i] ?? null),
  };
}
