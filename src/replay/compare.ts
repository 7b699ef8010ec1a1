import type { Random } from '../core/index.js';
import { percentileInterval } from '../metrics/bootstrap.js';
import { exactMcNemar } from '../metrics/mcnemar.js';
import type { MechanismComparison } from './types.js';

/**
 * Every pairwise comparison of the mechanisms' per-task solved indicators (same task order):
 * exact McNemar on the discordant tasks and a 95% task-level paired bootstrap percentile CI of
 * the solved-count difference Σa − Σb.
 *
 * All pairs share one set of resamples (common random numbers): resample r draws n task indices
 * with replacement once, every mechanism's solved count on it is computed once, and the pair's
 * replicate is the difference of the two counts — the same paired bootstrap as resampling each
 * pair separately (both arms of a drawn task stay together), but O(mechanisms · R · n) instead
 * of O(mechanisms² · R · n). A pair's CI depends only on its two vectors and the seed.
 * `resamples` 0 skips the bootstrap (CIs are [NaN, NaN]).
 */
export function compareAll(options: {
  /** Mechanism names in report order (pairs are (i, j) with i < j). */
  names: string[];
  /** 1/0 solved per task for each name. */
  solved: Record<string, Uint8Array>;
  /** Bootstrap resamples. */
  resamples: number;
  /** Seeded randomness for the resample indices. */
  random: Random;
}): MechanismComparison[] {
  const { names, solved, resamples, random } = options;
  const vectors = names.map((name) => solved[name] as Uint8Array);
  const n = vectors[0]?.length ?? 0;
  const replicates = bootstrapSolvedCounts({ vectors, resamples, random });
  const comparisons: MechanismComparison[] = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = vectors[i] as Uint8Array;
      const b = vectors[j] as Uint8Array;
      let onlyA = 0;
      let onlyB = 0;
      for (let k = 0; k < n; k++) {
        if (a[k] && !b[k]) onlyA++;
        else if (!a[k] && b[k]) onlyB++;
      }
      let ci: [number, number] = [Number.NaN, Number.NaN];
      if (resamples > 0 && n > 0) {
        const ra = replicates[i] as Float64Array;
        const rb = replicates[j] as Float64Array;
        const differences = new Float64Array(resamples);
        for (let r = 0; r < resamples; r++) differences[r] = (ra[r] as number) - (rb[r] as number);
        const interval = percentileInterval(differences, 0.95);
        ci = [interval.lo, interval.hi];
      }
      comparisons.push({
        a: names[i] as string,
        b: names[j] as string,
        onlyA,
        onlyB,
        mcnemarP: exactMcNemar({ b: onlyA, c: onlyB }).pValue,
        solvedDiff: onlyA - onlyB,
        solvedDiffCi: ci,
      });
    }
  }
  return comparisons;
}

/**
 * replicates[m][r] = solved count of mechanism m on resample r. Tasks are grouped by their
 * pattern (which mechanisms solved them), so a resample costs its n draws plus one multiply-add
 * per (pattern, mechanism) instead of per (task, mechanism); memory is O(n + patterns · M + M · R).
 * The draws and the counts (integers, exact in doubles) are those of summing task by task.
 */
function bootstrapSolvedCounts(options: { vectors: Uint8Array[]; resamples: number; random: Random }): Float64Array[] {
  const { vectors, resamples, random } = options;
  const m = vectors.length;
  const n = vectors[0]?.length ?? 0;
  const replicates = vectors.map(() => new Float64Array(resamples));
  if (n === 0) return replicates;
  const patternOf = new Int32Array(n);
  const patternIds = new Map<string, number>();
  const bits: number[] = [];
  const key = new Array<number>(m);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < m; k++) key[k] = (vectors[k] as Uint8Array)[i] ? 49 : 48;
    const text = String.fromCharCode(...key);
    let id = patternIds.get(text);
    if (id === undefined) {
      id = patternIds.size;
      patternIds.set(text, id);
      for (let k = 0; k < m; k++) bits.push(key[k] === 49 ? 1 : 0);
    }
    patternOf[i] = id;
  }
  const patterns = patternIds.size;
  const solvedBy = Uint8Array.from(bits);
  const counts = new Float64Array(patterns);
  const sums = new Float64Array(m);
  for (let r = 0; r < resamples; r++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const pattern = patternOf[random.int(n)] as number;
      counts[pattern] = (counts[pattern] as number) + 1;
    }
    sums.fill(0);
    for (let p = 0; p < patterns; p++) {
      const count = counts[p] as number;
      if (count === 0) continue;
      const base = p * m;
      for (let k = 0; k < m; k++) if (solvedBy[base + k]) sums[k] = (sums[k] as number) + count;
    }
    for (let k = 0; k < m; k++) (replicates[k] as Float64Array)[r] = sums[k] as number;
  }
  return replicates;
}
