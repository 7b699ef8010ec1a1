/**
 * Calibration scores of probability forecasts against binary outcomes (DESIGN.md §5).
 * Every function accepts optional non-negative row weights; a weight of k counts a row k times,
 * which is how the cluster bootstrap evaluates a resample without copying rows.
 */

/** Forecasts, outcomes and optional weights; all the same length. */
export interface ScoredRows {
  /** Stated probabilities in [0, 1]. */
  p: ArrayLike<number>;
  /** Outcomes, 0 or 1. */
  y: ArrayLike<number>;
  /** Optional non-negative weights (a row with weight k counts k times). */
  weights?: ArrayLike<number> | undefined;
}

/** Number of equal-width bins the paper uses for ECE and reliability. */
export const DEFAULT_BINS = 10;

/** Default clipping of probabilities inside log loss. */
export const LOG_LOSS_EPSILON = 1e-6;

/** Bin of probability p among `bins` equal-width bins [0, 1/bins), …, [1 − 1/bins, 1]; p = 1 goes in the last. */
export function binIndex(p: number, bins = DEFAULT_BINS): number {
  const b = Math.floor(p * bins);
  return Math.min(bins - 1, Math.max(0, b));
}

function weightAt(weights: ArrayLike<number> | undefined, i: number): number {
  return weights === undefined ? 1 : (weights[i] as number);
}

/** Weighted mean outcome (the base rate ȳ); NaN when total weight is 0. */
export function baseRate({ y, weights }: Omit<ScoredRows, 'p'>): number {
  let sw = 0;
  let sy = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weightAt(weights, i);
    sw += w;
    sy += w * (y[i] as number);
  }
  return sw > 0 ? sy / sw : Number.NaN;
}

/** Brier score: mean (p − y)². NaN for no rows. */
export function brier({ p, y, weights }: ScoredRows): number {
  let sw = 0;
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const w = weightAt(weights, i);
    const d = (p[i] as number) - (y[i] as number);
    sw += w;
    s += w * d * d;
  }
  return sw > 0 ? s / sw : Number.NaN;
}

/**
 * Brier skill score against the group's own base rate: 1 − Brier / (ȳ(1 − ȳ)). Positive beats
 * always saying ȳ. NaN when every outcome is the same (the reference Brier is 0).
 */
export function brierSkill(rows: ScoredRows): number {
  const rate = baseRate(rows);
  const reference = rate * (1 - rate);
  return reference > 0 ? 1 - brier(rows) / reference : Number.NaN;
}

/** Log loss −mean[y·ln p + (1 − y)·ln(1 − p)] with p clipped to [ε, 1 − ε]. */
export function logLoss({ p, y, weights, epsilon = LOG_LOSS_EPSILON }: ScoredRows & { epsilon?: number }): number {
  let sw = 0;
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const w = weightAt(weights, i);
    const q = Math.min(1 - epsilon, Math.max(epsilon, p[i] as number));
    sw += w;
    s -= w * ((y[i] as number) === 1 ? Math.log(q) : Math.log(1 - q));
  }
  return sw > 0 ? s / sw : Number.NaN;
}

/** One reliability bin. */
export interface ReliabilityBin {
  /** Lower edge of the bin. */
  lo: number;
  /** Upper edge (exclusive, except 1.0 for the last bin). */
  hi: number;
  /** Number (total weight) of rows in the bin. */
  n: number;
  /** Mean stated p in the bin; NaN when empty. */
  meanP: number;
  /** Observed success rate in the bin; NaN when empty. */
  meanY: number;
}

/** Reliability diagram data: `bins` equal-width bins with counts, mean p and observed rate. */
export function reliabilityBins({ p, y, weights, bins = DEFAULT_BINS }: ScoredRows & { bins?: number }): ReliabilityBin[] {
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < p.length; i++) {
    const w = weightAt(weights, i);
    const b = binIndex(p[i] as number, bins);
    count[b] = (count[b] as number) + w;
    sumP[b] = (sumP[b] as number) + w * (p[i] as number);
    sumY[b] = (sumY[b] as number) + w * (y[i] as number);
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++) {
    const n = count[b] as number;
    out.push({
      lo: b / bins,
      hi: (b + 1) / bins,
      n,
      meanP: n > 0 ? (sumP[b] as number) / n : Number.NaN,
      meanY: n > 0 ? (sumY[b] as number) / n : Number.NaN,
    });
  }
  return out;
}

/** Expected calibration error: Σ_b (n_b/N)·|mean p_b − mean y_b| over the reliability bins. */
export function ece(rows: ScoredRows & { bins?: number }): number {
  const table = reliabilityBins(rows);
  let total = 0;
  let s = 0;
  for (const bin of table) {
    if (bin.n <= 0) continue;
    total += bin.n;
    s += bin.n * Math.abs(bin.meanP - bin.meanY);
  }
  return total > 0 ? s / total : Number.NaN;
}

/** Murphy (1973) decomposition of the Brier score over the reliability bins. */
export interface MurphyDecomposition {
  /** Σ (n_b/N)(p̄_b − ȳ_b)²: miscalibration, lower is better. */
  reliability: number;
  /** Σ (n_b/N)(ȳ_b − ȳ)²: how far bin outcome rates spread from the base rate, higher is better. */
  resolution: number;
  /** ȳ(1 − ȳ): the Brier score of always saying the base rate. */
  uncertainty: number;
  /** The Brier score itself. */
  brier: number;
  /**
   * brier − (reliability − resolution + uncertainty): the within-bin variance/covariance terms,
   * 0 when every forecast in a bin has the same value.
   */
  residual: number;
}

/** Murphy decomposition Brier = reliability − resolution + uncertainty (+ within-bin residual). */
export function murphy(rows: ScoredRows & { bins?: number }): MurphyDecomposition {
  const table = reliabilityBins(rows);
  const rate = baseRate(rows);
  let total = 0;
  let reliability = 0;
  let resolution = 0;
  for (const bin of table) {
    if (bin.n <= 0) continue;
    total += bin.n;
    reliability += bin.n * (bin.meanP - bin.meanY) ** 2;
    resolution += bin.n * (bin.meanY - rate) ** 2;
  }
  reliability = total > 0 ? reliability / total : Number.NaN;
  resolution = total > 0 ? resolution / total : Number.NaN;
  const uncertainty = rate * (1 - rate);
  const score = brier(rows);
  return { reliability, resolution, uncertainty, brier: score, residual: score - (reliability - resolution + uncertainty) };
}

/** Number of distinct stated p values: 1 means the worker cannot discriminate at all. */
export function distinctValues(values: ArrayLike<number>): number {
  return new Set(Array.from(values)).size;
}
