import type { Random } from '../core/index.js';
import { sortedQuantile } from './quantile.js';

/** A percentile confidence interval. */
export interface ConfidenceInterval {
  /** Lower bound. */
  lo: number;
  /** Upper bound. */
  hi: number;
  /** The statistic on the original sample (identity indices). */
  estimate?: number;
}

/**
 * Percentile CI from bootstrap replicates: the (1−level)/2 and (1+level)/2 type-7 quantiles.
 * Replicates that are NaN (statistic undefined on that resample, e.g. AUROC with one class)
 * are left out; when all are NaN both bounds are NaN.
 */
export function percentileInterval(replicates: ArrayLike<number>, level = 0.95): { lo: number; hi: number } {
  const finite = Float64Array.from(replicates).filter((v) => !Number.isNaN(v));
  finite.sort();
  const alpha = (1 - level) / 2;
  return { lo: sortedQuantile(finite, alpha), hi: sortedQuantile(finite, 1 - alpha) };
}

/**
 * Nonparametric bootstrap percentile CI. Each resample draws `n` indices uniformly with
 * replacement from [0, n) and passes them to `statistic`. To bootstrap clusters (tasks), let
 * `n` be the number of clusters and have `statistic` expand the drawn cluster indices.
 */
export function bootstrapCi(options: {
  /** Number of resampling units (rows, or clusters). */
  n: number;
  /** The statistic of one resample, given its drawn unit indices. */
  statistic: (indices: Int32Array) => number;
  /** Number of bootstrap resamples. */
  resamples: number;
  /** Seeded source of the draws. */
  random: Random;
  /** Coverage, default 0.95. */
  level?: number;
}): Required<ConfidenceInterval> {
  const { n, statistic, resamples, random, level = 0.95 } = options;
  const identity = new Int32Array(n);
  for (let i = 0; i < n; i++) identity[i] = i;
  const estimate = statistic(identity);
  if (n === 0) return { lo: Number.NaN, hi: Number.NaN, estimate };
  const replicates = new Float64Array(resamples);
  const indices = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) indices[i] = random.int(n);
    replicates[r] = statistic(indices);
  }
  return { ...percentileInterval(replicates, level), estimate };
}

/** Point estimate and percentile CI of a paired difference. */
export interface PairedDifference {
  /**
   * The difference on the original pairs: Σa − Σb for `statistic: 'sum'` (the default, e.g. the
   * difference in SOLVED COUNT between two mechanisms), mean(a − b) for `statistic: 'mean'`.
   */
  mean: number;
  /** Lower bound of the percentile CI. */
  lo: number;
  /** Upper bound of the percentile CI. */
  hi: number;
}

/**
 * Task-level paired bootstrap of the difference between two arms measured on the same units
 * (a[i] and b[i] belong to unit i, e.g. 1/0 solved by mechanism A and B on task i). Each
 * resample draws n units with replacement and keeps both arms of a drawn unit together.
 * Default statistic is the SUM difference Σ(a − b) (solved-count difference); pass
 * `statistic: 'mean'` for the mean difference.
 */
export function pairedBootstrapDiff(options: {
  /** Per-unit values of the first arm. */
  a: ArrayLike<number>;
  /** Per-unit values of the second arm (same length and order). */
  b: ArrayLike<number>;
  /** Number of bootstrap resamples. */
  resamples: number;
  /** Seeded source of the draws. */
  random: Random;
  /** 'sum' (default) or 'mean' difference. */
  statistic?: 'sum' | 'mean';
  /** Coverage, default 0.95. */
  level?: number;
}): PairedDifference {
  const { a, b, resamples, random, statistic = 'sum', level = 0.95 } = options;
  const n = a.length;
  if (b.length !== n) throw new RangeError(`pairedBootstrapDiff: a has ${n} values but b has ${b.length}`);
  const diff = new Float64Array(n);
  for (let i = 0; i < n; i++) diff[i] = (a[i] as number) - (b[i] as number);
  const scale = statistic === 'mean' && n > 0 ? 1 / n : 1;
  const ci = bootstrapCi({
    n,
    resamples,
    random,
    level,
    statistic: (indices) => {
      let sum = 0;
      for (let i = 0; i < indices.length; i++) sum += diff[indices[i] as number] as number;
      return sum * scale;
    },
  });
  return { mean: n === 0 ? 0 : ci.estimate, lo: ci.lo, hi: ci.hi };
}
