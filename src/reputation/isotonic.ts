/** A fitted isotonic (non-decreasing) map from a score to a probability. */
export interface IsotonicFit {
  /** Block centres (weighted mean x of each pooled block), increasing. */
  x: number[];
  /** Block values (weighted mean y of each block), non-decreasing. */
  y: number[];
}

/**
 * Pool-adjacent-violators: the non-decreasing step fit minimizing Σ w(y − f(x))² over points
 * sorted by x. Points with equal x are pooled first (one block per distinct x), so the fit is a
 * function of x; adjacent blocks with equal values are merged, so there is one block per level.
 * Returns the blocks' weighted mean x and y.
 */
export function poolAdjacentViolators(options: {
  /** Scores. */
  x: ArrayLike<number>;
  /** Targets (0/1 outcomes for calibration). */
  y: ArrayLike<number>;
  /** Optional weights (default 1). */
  weights?: ArrayLike<number>;
}): IsotonicFit {
  const { x, y, weights } = options;
  const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => (x[a] as number) - (x[b] as number));
  // One group per distinct x: weight, weighted sum of y.
  const groups: { x: number; w: number; sy: number }[] = [];
  for (const i of order) {
    const w = weights ? (weights[i] as number) : 1;
    if (!(w > 0)) continue;
    const last = groups[groups.length - 1];
    if (last && last.x === x[i]) {
      last.w += w;
      last.sy += w * (y[i] as number);
    } else {
      groups.push({ x: x[i] as number, w, sy: w * (y[i] as number) });
    }
  }
  // PAV over the groups; each block keeps its weight, Σw·x and Σw·y.
  const blocks: { w: number; sx: number; sy: number }[] = [];
  for (const group of groups) {
    blocks.push({ w: group.w, sx: group.w * group.x, sy: group.sy });
    while (blocks.length > 1) {
      const b = blocks[blocks.length - 1] as { w: number; sx: number; sy: number };
      const a = blocks[blocks.length - 2] as { w: number; sx: number; sy: number };
      // Equal neighbours merge too, so the fit has one block per distinct level.
      if (a.sy / a.w < b.sy / b.w) break;
      blocks.pop();
      a.w += b.w;
      a.sx += b.sx;
      a.sy += b.sy;
    }
  }
  return { x: blocks.map((block) => block.sx / block.w), y: blocks.map((block) => block.sy / block.w) };
}

/**
 * Evaluates an isotonic fit: linear interpolation between block centres, constant beyond the
 * first and last; NaN for an empty fit.
 */
export function evaluateIsotonic(fit: IsotonicFit, value: number): number {
  const { x, y } = fit;
  if (x.length === 0) return Number.NaN;
  if (value <= (x[0] as number)) return y[0] as number;
  const last = x.length - 1;
  if (value >= (x[last] as number)) return y[last] as number;
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((x[mid] as number) <= value) lo = mid;
    else hi = mid;
  }
  const x0 = x[lo] as number;
  const x1 = x[hi] as number;
  const t = x1 > x0 ? (value - x0) / (x1 - x0) : 0;
  return (y[lo] as number) + t * ((y[hi] as number) - (y[lo] as number));
}
