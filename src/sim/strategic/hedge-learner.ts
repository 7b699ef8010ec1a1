/**
 * Multiplicative weights (Hedge) over a finite set of reports, on realised profit with full
 * information: after each round the worker learns what every report would have earned against
 * the others' actual reports and the round's actual draws. Its mixed strategy is
 * w_a ∝ exp(η_t·S_a), S_a the cumulative profit of report a, with the anytime rate
 * η_t = κ·√(ln A / t) / range_t (range_t the widest per-round spread of profits seen so far), so
 * its regret grows as √t: a no-regret learner.
 */
export class HedgeLearner {
  private readonly cumulative: Float64Array;
  private rounds = 0;
  private range = 0;
  /** Multiplier κ of the learning rate. */
  readonly rate: number;

  /** A learner over `actions` reports, all equally likely at first. */
  constructor(options: {
    /** Number of reports. */
    actions: number;
    /** Multiplier κ of the learning rate (default 4). */
    rate?: number;
  }) {
    this.cumulative = new Float64Array(options.actions);
    this.rate = options.rate ?? 4;
  }

  /** The current mixed strategy (probabilities summing to 1). */
  weights(): Float64Array {
    const n = this.cumulative.length;
    const out = new Float64Array(n);
    if (this.rounds === 0 || this.range === 0) return out.fill(1 / n);
    const eta = (this.rate * Math.sqrt(Math.log(n) / this.rounds)) / this.range;
    let top = Number.NEGATIVE_INFINITY;
    for (const s of this.cumulative) top = Math.max(top, s);
    let total = 0;
    for (let a = 0; a < n; a++) {
      out[a] = Math.exp(eta * ((this.cumulative[a] as number) - top));
      total += out[a] as number;
    }
    for (let a = 0; a < n; a++) out[a] = (out[a] as number) / total;
    return out;
  }

  /** Records one round's profit of every report (USD per task). */
  update(profits: ArrayLike<number>): void {
    let low = Number.POSITIVE_INFINITY;
    let high = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < this.cumulative.length; a++) {
      const profit = profits[a] as number;
      this.cumulative[a] = (this.cumulative[a] as number) + profit;
      low = Math.min(low, profit);
      high = Math.max(high, profit);
    }
    this.range = Math.max(this.range, high - low);
    this.rounds += 1;
  }
}

/** Index drawn from a mixed strategy with a uniform draw u ∈ [0, 1). */
export function sampleAction(weights: ArrayLike<number>, u: number): number {
  let acc = 0;
  for (let a = 0; a < weights.length; a++) {
    acc += weights[a] as number;
    if (u < acc) return a;
  }
  return weights.length - 1;
}
