import { sortedQuantile } from './quantile.js';

/**
 * Token-forecast ratio T̂ / T of each row: NaN when either side is unknown, not finite, or not
 * positive (a ratio against zero actual tokens says nothing about forecasting skill).
 */
export function tokenRatios({
  expected,
  actual,
}: {
  /** Stated tokens T̂ per row (null when not stated). */
  expected: ArrayLike<number | null>;
  /** Actual tokens T per row (null when unknown). */
  actual: ArrayLike<number | null>;
}): Float64Array {
  const out = new Float64Array(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i];
    const a = actual[i];
    out[i] = e != null && a != null && e > 0 && a > 0 && Number.isFinite(e) && Number.isFinite(a) ? e / a : Number.NaN;
  }
  return out;
}

/** Summary of token-forecast ratios T̂ / T. */
export interface TokenRatioStats {
  /** Rows with a usable ratio. */
  n: number;
  /** Median ratio (below 1: the worker under-forecasts its token use). */
  median: number;
  /** First quartile (type-7). */
  q1: number;
  /** Third quartile (type-7). */
  q3: number;
  /** Interquartile range q3 − q1. */
  iqr: number;
  /** Mean of log₁₀ ratio: −1 means forecasts are typically a tenth of actual use. */
  meanLog10: number;
}

/** Median, quartiles and mean log₁₀ of the usable (non-NaN) ratios; NaN figures when none. */
export function tokenRatioStats(ratios: ArrayLike<number>): TokenRatioStats {
  const usable = Float64Array.from(ratios).filter((r) => !Number.isNaN(r));
  usable.sort();
  let logSum = 0;
  for (const r of usable) logSum += Math.log10(r);
  const q1 = sortedQuantile(usable, 0.25);
  const q3 = sortedQuantile(usable, 0.75);
  return {
    n: usable.length,
    median: sortedQuantile(usable, 0.5),
    q1,
    q3,
    iqr: q3 - q1,
    meanLog10: usable.length > 0 ? logSum / usable.length : Number.NaN,
  };
}
