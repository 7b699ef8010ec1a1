/**
 * Index of the best candidate under `better(a, b) < 0 ⇒ a first`, scanning in order so that
 * equal candidates keep the earlier one (the roster order); −1 for an empty list.
 */
export function pickBest<T>(candidates: readonly T[], compare: (a: T, b: T) => number): number {
  let best = -1;
  for (let i = 0; i < candidates.length; i++) {
    if (best < 0 || compare(candidates[i] as T, candidates[best] as T) < 0) best = i;
  }
  return best;
}
