/**
 * Area under the ROC curve of scores p for outcomes y: the probability that a random positive
 * row scores higher than a random negative one, ties counted ½ (Mann–Whitney U / (n₁·n₀)).
 * Optional weights count a row w times. NaN when either class is empty.
 */
export function auroc({
  p,
  y,
  weights,
}: {
  /** Scores (stated probabilities). */
  p: ArrayLike<number>;
  /** Outcomes, 0 or 1. */
  y: ArrayLike<number>;
  /** Optional non-negative row weights. */
  weights?: ArrayLike<number> | undefined;
}): number {
  const order = Array.from({ length: p.length }, (_, i) => i).sort((a, b) => (p[a] as number) - (p[b] as number));
  let negativesBelow = 0;
  let positives = 0;
  let pairs = 0;
  let i = 0;
  while (i < order.length) {
    // One tie group: every row with the same score.
    const value = p[order[i] as number] as number;
    let groupPos = 0;
    let groupNeg = 0;
    for (; i < order.length && (p[order[i] as number] as number) === value; i++) {
      const row = order[i] as number;
      const w = weights === undefined ? 1 : (weights[row] as number);
      if ((y[row] as number) === 1) groupPos += w;
      else groupNeg += w;
    }
    pairs += groupPos * (negativesBelow + 0.5 * groupNeg);
    negativesBelow += groupNeg;
    positives += groupPos;
  }
  const denominator = positives * negativesBelow;
  return denominator > 0 ? pairs / denominator : Number.NaN;
}
