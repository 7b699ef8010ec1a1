import type { Random } from '../core/index.js';
import { percentileInterval } from '../metrics/bootstrap.js';
import { holmAdjust } from '../metrics/holm.js';
import { exactMcNemar } from '../metrics/mcnemar.js';
import type { MechanismComparison } from './types.js';

/** Per-task outcomes of one mechanism, aligned with the matrix's task order. */
export interface PairedVectors {
  /** 1/0 solved per task. */
  solved: Uint8Array;
  /** Actual cost per task, USD. */
  cost: Float64Array;
}

function interval(replicates: Float64Array): [number, number] {
  const { lo, hi } = percentileInterval(replicates, 0.95);
  return [lo, hi];
}

/**
 * Every pairwise comparison of the mechanisms on the same tasks: exact McNemar on the discordant
 * tasks (raw and Holm-adjusted over all pairs), and 95% task-level paired bootstrap percentile CIs
 * of the differences in solved count, actual cost and welfare (V·solved − actual cost).
 *
 * All pairs share one set of resamples (common random numbers): resample r draws n task indices
 * with replacement once, every mechanism's solved count and cost on it are computed once, and a
 * pair's replicate is the difference of the two — the same paired bootstrap as resampling each
 * pair separately (both arms of a drawn task stay together), but O(mechanisms · R · n) instead of
 * O(mechanisms² · R · n). `resamples` 0 skips the bootstrap (CIs are [NaN, NaN]).
 */
export function compareAll(options: {
  /** Mechanism names in report order (pairs are (i, j) with i < j). */
  names: string[];
  /** Per-task vectors for each name. */
  vectors: Record<string, PairedVectors>;
  /** Value of a solved task, USD (for welfare). */
  value: number;
  /** Bootstrap resamples. */
  resamples: number;
  /** Seeded randomness for the resample indices. */
  random: Random;
}): MechanismComparison[] {
  const { names, resamples, random, value } = options;
  const vectors = names.map((name) => options.vectors[name] as PairedVectors);
  const n = vectors[0]?.solved.length ?? 0;
  const solvedReplicates = vectors.map(() => new Float64Array(resamples));
  const costReplicates = vectors.map(() => new Float64Array(resamples));
  if (n > 0 && resamples > 0) {
    const counts = new Int32Array(n);
    // The resample's drawn tasks (about 63% of them) with how often each was drawn, in task order:
    // each mechanism then sums over this list with its running totals in registers, in task
    // order, so the replicates are the same numbers as a pass over every task.
    const drawnTask = new Int32Array(n);
    const drawnTimes = new Float64Array(n);
    for (let r = 0; r < resamples; r++) {
      counts.fill(0);
      for (let i = 0; i < n; i++) {
        const drawn = random.int(n);
        counts[drawn] = (counts[drawn] as number) + 1;
      }
      let distinct = 0;
      for (let i = 0; i < n; i++) {
        const times = counts[i] as number;
        if (times === 0) continue;
        drawnTask[distinct] = i;
        drawnTimes[distinct] = times;
        distinct++;
      }
      vectors.forEach((vector, m) => {
        const solvedColumn = vector.solved;
        const costColumn = vector.cost;
        let solved = 0;
        let cost = 0;
        for (let k = 0; k < distinct; k++) {
          const i = drawnTask[k] as number;
          const times = drawnTimes[k] as number;
          // Multiplied, not branched on: solved is 0 or 1 and a branch on it mispredicts.
          solved += times * (solvedColumn[i] as number);
          cost += times * (costColumn[i] as number);
        }
        (solvedReplicates[m] as Float64Array)[r] = solved;
        (costReplicates[m] as Float64Array)[r] = cost;
      });
    }
  }
  const totals = vectors.map((vector) => ({
    solved: vector.solved.reduce((sum, x) => sum + x, 0),
    cost: vector.cost.reduce((sum, x) => sum + x, 0),
  }));
  const comparisons: Omit<MechanismComparison, 'mcnemarPHolm'>[] = [];
  const nan: [number, number] = [Number.NaN, Number.NaN];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      const a = (vectors[i] as PairedVectors).solved;
      const b = (vectors[j] as PairedVectors).solved;
      let onlyA = 0;
      let onlyB = 0;
      for (let k = 0; k < n; k++) {
        if (a[k] && !b[k]) onlyA++;
        else if (!a[k] && b[k]) onlyB++;
      }
      let cis = { solved: nan, cost: nan, welfare: nan };
      if (resamples > 0 && n > 0) {
        const solved = new Float64Array(resamples);
        const cost = new Float64Array(resamples);
        const welfare = new Float64Array(resamples);
        const sa = solvedReplicates[i] as Float64Array;
        const sb = solvedReplicates[j] as Float64Array;
        const ca = costReplicates[i] as Float64Array;
        const cb = costReplicates[j] as Float64Array;
        for (let r = 0; r < resamples; r++) {
          solved[r] = (sa[r] as number) - (sb[r] as number);
          cost[r] = (ca[r] as number) - (cb[r] as number);
          welfare[r] = value * (solved[r] as number) - (cost[r] as number);
        }
        cis = { solved: interval(solved), cost: interval(cost), welfare: interval(welfare) };
      }
      const ta = totals[i] as { solved: number; cost: number };
      const tb = totals[j] as { solved: number; cost: number };
      comparisons.push({
        a: names[i] as string,
        b: names[j] as string,
        onlyA,
        onlyB,
        mcnemarP: exactMcNemar({ b: onlyA, c: onlyB }).pValue,
        solvedDiff: onlyA - onlyB,
        solvedDiffCi: cis.solved,
        welfareDiff: value * (ta.solved - tb.solved) - (ta.cost - tb.cost),
        welfareDiffCi: cis.welfare,
        costDiff: ta.cost - tb.cost,
        costDiffCi: cis.cost,
      });
    }
  }
  const holm = holmAdjust(comparisons.map((pair) => pair.mcnemarP));
  return comparisons.map((pair, index) => ({ ...pair, mcnemarPHolm: holm[index] as number }));
}

