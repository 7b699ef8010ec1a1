import { auroc } from '../metrics/auroc.js';
import { gridValue, type SnapGrid } from './stated-probability.js';

/** Options of `gridAuroc`. */
export interface GridAurocOptions {
  /** Grid index of each row's score (the score is `gridValue(grid, k)`). */
  k: Float64Array;
  /** Outcome of each row, 0 or 1. */
  y: Uint8Array;
  /** The grid. */
  grid: SnapGrid;
}

/**
 * AUROC of scores snapped to a grid, from their grid indices: positives and negatives are counted
 * per index and the tie groups walked in ascending order, O(rows + grid points) where `auroc`
 * sorts. It is the same number as `auroc` on the scores, bit for bit: grid values are
 * nondecreasing in the index, so a tie group of `auroc` (equal scores) is a run of consecutive
 * indices, the groups come in the same ascending order, and every term is a count or half a
 * count, exact in double precision. A grid finer than the rows (a tiny step) falls back to `auroc`.
 */
export function gridAuroc(options: GridAurocOptions): number {
  const { k, y, grid } = options;
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < k.length; i++) {
    const index = k[i] as number;
    if (index < low) low = index;
    if (index > high) high = index;
  }
  if (k.length === 0) return Number.NaN;
  const span = high - low + 1;
  if (span > 4 * k.length + 1024) {
    return auroc({ p: Float64Array.from(k, (index) => gridValue(grid, index)), y });
  }
  const positivesAt = new Float64Array(span);
  const negativesAt = new Float64Array(span);
  for (let i = 0; i < k.length; i++) {
    const bin = (k[i] as number) - low;
    if (y[i] === 1) positivesAt[bin] = (positivesAt[bin] as number) + 1;
    else negativesAt[bin] = (negativesAt[bin] as number) + 1;
  }
  let negativesBelow = 0;
  let positives = 0;
  let pairs = 0;
  let bin = 0;
  while (bin < span) {
    // One tie group: the run of indices whose grid values are equal (clipping at 0 or 1 makes runs).
    const value = gridValue(grid, low + bin);
    let groupPos = 0;
    let groupNeg = 0;
    for (; bin < span && gridValue(grid, low + bin) === value; bin++) {
      groupPos += positivesAt[bin] as number;
      groupNeg += negativesAt[bin] as number;
    }
    pairs += groupPos * (negativesBelow + 0.5 * groupNeg);
    negativesBelow += groupNeg;
    positives += groupPos;
  }
  const denominator = positives * negativesBelow;
  return denominator > 0 ? pairs / denominator : Number.NaN;
}
