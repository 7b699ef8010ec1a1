import type { Random } from '../core/index.js';
import { pairedBootstrapDiff } from '../metrics/bootstrap.js';
import { exactMcNemar } from '../metrics/mcnemar.js';
import type { MechanismComparison } from './types.js';

/**
 * Paired comparison of two mechanisms' per-task solved indicators (same task order): exact
 * McNemar on the discordant tasks and a task-level paired bootstrap percentile CI of the
 * solved-count difference.
 */
export function compareSolved(options: {
  /** Name of the first mechanism. */
  a: string;
  /** Name of the second mechanism. */
  b: string;
  /** 1/0 solved per task under a. */
  solvedA: ArrayLike<number>;
  /** 1/0 solved per task under b. */
  solvedB: ArrayLike<number>;
  /** Bootstrap resamples; 0 skips the bootstrap (the CI is then [NaN, NaN]). */
  resamples: number;
  /** Seeded randomness for the bootstrap. */
  random: Random;
}): MechanismComparison {
  const { a, b, solvedA, solvedB, resamples, random } = options;
  let onlyA = 0;
  let onlyB = 0;
  for (let i = 0; i < solvedA.length; i++) {
    if (solvedA[i] && !solvedB[i]) onlyA++;
    else if (!solvedA[i] && solvedB[i]) onlyB++;
  }
  const test = exactMcNemar({ b: onlyA, c: onlyB });
  const ci = resamples > 0 ? pairedBootstrapDiff({ a: solvedA, b: solvedB, resamples, random }) : { lo: Number.NaN, hi: Number.NaN };
  return { a, b, onlyA, onlyB, mcnemarP: test.pValue, solvedDiff: onlyA - onlyB, solvedDiffCi: [ci.lo, ci.hi] };
}
