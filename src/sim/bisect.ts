/** Options of `bisect`. */
export interface BisectOptions {
  /** A nondecreasing function of x. */
  f: (x: number) => number;
  /** The value f should reach. */
  target: number;
  /** Lower end of the search interval. */
  low: number;
  /** Upper end of the search interval. */
  high: number;
  /** Halvings to perform; 60 reaches double precision on any practical interval. */
  iterations?: number;
}

/**
 * The smallest x in [low, high] (to within the interval's final width) with f(x) ≥ target, for a
 * nondecreasing f; clamps to an end when the target is out of reach. Step functions are fine,
 * which is why the preset fits use this rather than Newton's method.
 */
export function bisect(options: BisectOptions): number {
  let { low, high } = options;
  const iterations = options.iterations ?? 60;
  if (options.f(low) >= options.target) return low;
  if (options.f(high) < options.target) return high;
  for (let i = 0; i < iterations; i++) {
    const mid = (low + high) / 2;
    if (options.f(mid) >= options.target) high = mid;
    else low = mid;
  }
  return high;
}
