/** The logistic function σ(x) = 1 / (1 + e^−x), computed without overflow for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

/** The log-odds of a probability, clipped to [ε, 1 − ε] (default 1e-9) so 0 and 1 stay finite. */
export function logit(p: number, epsilon = 1e-9): number {
  const q = Math.min(1 - epsilon, Math.max(epsilon, p));
  return Math.log(q / (1 - q));
}
