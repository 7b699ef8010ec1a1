/** Discordant-pair counts of a paired binary comparison, and the exact test's p-value. */
export interface McNemarResult {
  /** Pairs where the first arm succeeded and the second failed. */
  b: number;
  /** Pairs where the second arm succeeded and the first failed. */
  c: number;
  /** Two-sided exact p-value: min(1, 2·P(X ≤ min(b, c))) with X ~ Bin(b + c, ½); 1 when b + c = 0. */
  pValue: number;
}

/**
 * Exact (binomial) McNemar test on the discordant pairs of a paired comparison, e.g. two
 * mechanisms on the same tasks. Only b and c carry information; concordant pairs do not.
 * The tail is summed in log space so thousands of pairs neither underflow nor lose precision.
 */
export function exactMcNemar({ b, c }: { b: number; c: number }): McNemarResult {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) {
    throw new RangeError(`exactMcNemar needs non-negative integer counts, got b=${b}, c=${c}`);
  }
  const m = b + c;
  if (m === 0) return { b, c, pValue: 1 };
  const k = Math.min(b, c);
  const pValue = Math.min(1, 2 * binomialHalfCdf(k, m));
  return { b, c, pValue };
}

/** P(X ≤ k) for X ~ Bin(m, ½), summed in log space. */
function binomialHalfCdf(k: number, m: number): number {
  const logHalfPow = -m * Math.LN2;
  // log C(m, i), built up term by term: C(m, i+1) = C(m, i)·(m−i)/(i+1).
  let logChoose = 0;
  const logTerms: number[] = [];
  for (let i = 0; i <= k; i++) {
    logTerms.push(logChoose + logHalfPow);
    logChoose += Math.log(m - i) - Math.log(i + 1);
  }
  // A loop, not Math.max(...logTerms): k grows with the discordant tasks and a spread of ~10⁵
  // arguments overflows the call stack.
  let top = Number.NEGATIVE_INFINITY;
  for (const term of logTerms) if (term > top) top = term;
  let sum = 0;
  for (const term of logTerms) sum += Math.exp(term - top);
  return Math.exp(top + Math.log(sum));
}
