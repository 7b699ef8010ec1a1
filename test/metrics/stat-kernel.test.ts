import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/index.js';
import {
  auroc,
  brier,
  brierSkill,
  clusterBootstrap,
  drawTaskWeights,
  ece,
  KERNEL_STATS,
  type KernelRows,
  logLoss,
  StatKernel,
  tokenRatioStats,
} from '../../src/metrics/index.js';

/** Random rows: nTasks tasks × nSets workers, some repeats, some missing ratios. */
function randomRows(seed: number, nTasks: number, nSets: number): KernelRows {
  const random = new Random(seed);
  const task: number[] = [];
  const set: number[] = [];
  const p: number[] = [];
  const y: number[] = [];
  const ratio: number[] = [];
  const extra: number[] = [];
  for (let t = 0; t < nTasks; t++) {
    for (let s = 0; s < nSets; s++) {
      const repeats = 1 + random.int(2);
      for (let r = 0; r < repeats; r++) {
        task.push(t);
        set.push(s);
        p.push(random.int(21) / 20);
        y.push(random.bernoulli(0.6) ? 1 : 0);
        ratio.push(random.bernoulli(0.2) ? Number.NaN : random.lognormal(-1, 1));
        extra.push(random.bernoulli(0.1) ? Number.NaN : random.normal());
      }
    }
  }
  return {
    taskIndex: Int32Array.from(task),
    setIndex: Int32Array.from(set),
    nTasks,
    nSets,
    p: Float64Array.from(p),
    y: Float64Array.from(y),
    meanColumns: [Float64Array.from(extra), Float64Array.from(extra)],
    shareColumns: [Float64Array.from(y)],
    ratio: Float64Array.from(ratio),
    bins: 10,
  };
}

const index = (name: (typeof KERNEL_STATS)[number]) => KERNEL_STATS.indexOf(name);

/** Straightforward figures of the rows of `set` (or all rows) with each row repeated w(task) times. */
function direct(rows: KernelRows, weights: Float64Array, set: number | null) {
  const keep: number[] = [];
  for (let i = 0; i < rows.p.length; i++) {
    if (set !== null && rows.setIndex[i] !== set) continue;
    for (let k = 0; k < (weights[rows.taskIndex[i] as number] as number); k++) keep.push(i);
  }
  const p = keep.map((i) => rows.p[i] as number);
  const y = keep.map((i) => rows.y[i] as number);
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  const extra = keep.map((i) => (rows.meanColumns[0] as Float64Array)[i] as number).filter((v) => !Number.isNaN(v));
  return {
    weight: keep.length,
    passRate: mean(y),
    meanP: mean(p),
    brier: brier({ p, y }),
    brierSkill: brierSkill({ p, y }),
    ece: ece({ p, y }),
    logLoss: logLoss({ p, y }),
    auroc: auroc({ p, y }),
    median: tokenRatioStats(keep.map((i) => rows.ratio[i] as number)).median,
    q1: tokenRatioStats(keep.map((i) => rows.ratio[i] as number)).q1,
    extra: mean(extra),
    share: y.reduce((a, b) => a + b, 0),
  };
}

function expectClose(actual: number, expected: number) {
  if (Number.isNaN(expected)) expect(actual).toBeNaN();
  else expect(actual).toBeCloseTo(expected, 10);
}

describe('StatKernel', () => {
  const rows = randomRows(1, 12, 3);
  const kernel = new StatKernel(rows);
  const out = kernel.allocate();

  it('with unit weights and with resampled weights equals the metric functions on the expanded rows', () => {
    const random = new Random(2);
    const weights = new Float64Array(rows.nTasks).fill(1);
    for (let trial = 0; trial < 20; trial++) {
      if (trial > 0) drawTaskWeights(random, weights);
      kernel.compute(weights, out);
      const totalShare = direct(rows, weights, null).share;
      for (let s = 0; s <= rows.nSets; s++) {
        const d = direct(rows, weights, s === rows.nSets ? null : s);
        const o = s * kernel.stride;
        expectClose(out[o + index('weight')] as number, d.weight);
        expectClose(out[o + index('passRate')] as number, d.passRate);
        expectClose(out[o + index('meanP')] as number, d.meanP);
        expectClose(out[o + index('brier')] as number, d.brier);
        expectClose(out[o + index('brierSkill')] as number, d.brierSkill);
        expectClose(out[o + index('ece')] as number, d.ece);
        expectClose(out[o + index('logLoss')] as number, d.logLoss);
        expectClose(out[o + index('auroc')] as number, d.auroc);
        expectClose(out[o + index('medianTokenRatio')] as number, d.median);
        expectClose(out[o + index('ratioQ1')] as number, d.q1);
        // the two identical extra columns are both reported
        expectClose(out[o + KERNEL_STATS.length] as number, d.extra);
        expectClose(out[o + KERNEL_STATS.length + 1] as number, d.extra);
        expectClose(out[o + KERNEL_STATS.length + 2] as number, d.share / totalShare);
      }
    }
  });

  it('the cluster bootstrap keeps every row of a drawn task', () => {
    // One row per (task, worker), 3 workers: every resample of 12 tasks holds exactly 36 rows.
    const balanced = randomRows(3, 12, 3);
    const single = { ...balanced };
    const keep = Array.from(balanced.taskIndex.keys()).filter(
      (i, k, all) => all.findIndex((j) => balanced.taskIndex[j] === balanced.taskIndex[i] && balanced.setIndex[j] === balanced.setIndex[i]) === k,
    );
    const pick = <T extends Float64Array | Int32Array>(a: T) => a.filter((_, i) => keep.includes(i)) as T;
    Object.assign(single, {
      taskIndex: pick(balanced.taskIndex),
      setIndex: pick(balanced.setIndex),
      p: pick(balanced.p),
      y: pick(balanced.y),
      ratio: pick(balanced.ratio),
      meanColumns: balanced.meanColumns.map(pick),
      shareColumns: balanced.shareColumns.map(pick),
    });
    const k = new StatKernel(single);
    const result = clusterBootstrap({ kernels: [k], nTasks: 12, resamples: 300, random: new Random(4) });
    const w = 3 * k.stride + index('weight');
    expect([result.lo[w], result.point[w], result.hi[w]]).toEqual([36, 36, 36]);
    // a worker always has 12 rows too
    expect([result.lo[index('weight')], result.hi[index('weight')]]).toEqual([12, 12]);
  });

  it('gives no intervals with zero resamples', () => {
    const result = clusterBootstrap({ kernels: [kernel], nTasks: rows.nTasks, resamples: 0, random: new Random(1) });
    expect(result.lo.every(Number.isNaN)).toBe(true);
  });
});
