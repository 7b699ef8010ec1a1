/**
 * AUROC by its definition, for checking the library against: the share of positive–negative
 * pairs that the score orders correctly, ties counted ½ (O(n²), test-sized inputs only).
 */
export function pairwiseAuroc(p: readonly number[], y: readonly boolean[]): number {
  let wins = 0;
  let pairs = 0;
  for (let i = 0; i < p.length; i++) {
    if (!y[i]) continue;
    for (let j = 0; j < p.length; j++) {
      if (y[j]) continue;
      pairs++;
      wins += (p[i] as number) > (p[j] as number) ? 1 : p[i] === p[j] ? 0.5 : 0;
    }
  }
  return wins / pairs;
}
