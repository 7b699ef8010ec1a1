/**
 * Quantile of a sorted sample by linear interpolation between order statistics (Hyndman–Fan
 * type 7, the default of R and numpy): position h = (n − 1)·q, value x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]).
 * NaN for an empty sample.
 */
export function sortedQuantile(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (h - lo) * (b - a);
}

/** Type-7 quantile of an unsorted sample (copies and sorts; NaN values are dropped). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).filter((v) => !Number.isNaN(v));
  sorted.sort();
  return sortedQuantile(sorted, q);
}

/**
 * Type-7 quantile of a sample given as sorted distinct-or-repeated values with non-negative
 * integer multiplicities, equal to `sortedQuantile` of the expanded sample. Used by the
 * cluster bootstrap, where a resample is a multiplicity per row rather than a list of rows.
 */
export function weightedSortedQuantile(options: {
  /** Values in ascending order. */
  sorted: ArrayLike<number>;
  /** Integer multiplicity of each value (same length). */
  weights: ArrayLike<number>;
  /** The quantile in [0, 1]. */
  q: number;
}): number {
  const { sorted, weights, q } = options;
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += weights[i] as number;
  if (total <= 0) return Number.NaN;
  const h = (total - 1) * q;
  const lowRank = Math.floor(h);
  const low = valueAtRank(sorted, weights, lowRank);
  const frac = h - lowRank;
  if (frac === 0) return low;
  return low + frac * (valueAtRank(sorted, weights, lowRank + 1) - low);
}

/** The value at 0-based position `rank` of the expanded sample. */
function valueAtRank(sorted: ArrayLike<number>, weights: ArrayLike<number>, rank: number): number {
  let cumulative = 0;
  let last = Number.NaN;
  for (let i = 0; i < sorted.length; i++) {
    const w = weights[i] as number;
    if (w <= 0) continue;
    cumulative += w;
    last = sorted[i] as number;
    if (rank < cumulative) return last;
  }
  return last;
}
