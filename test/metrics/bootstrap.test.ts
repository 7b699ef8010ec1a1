import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/index.js';
import { bootstrapCi, pairedBootstrapDiff, percentileInterval, quantile } from '../../src/metrics/index.js';

describe('bootstrapCi', () => {
  const values = Array.from({ length: 100 }, (_, i) => i);
  const mean = (indices: Int32Array) => {
    let s = 0;
    for (const i of indices) s += values[i] as number;
    return s / indices.length;
  };

  it('approximates the normal-theory CI of a mean', () => {
    // Values 0..99: mean 49.5, population sd = √((100² − 1)/12) = 28.866, SE = 2.8866,
    // so the 95% interval is about 49.5 ± 1.96·2.8866 = [43.84, 55.16].
    const ci = bootstrapCi({ n: 100, statistic: mean, resamples: 4000, random: new Random(1) });
    expect(ci.estimate).toBe(49.5);
    expect(ci.lo).toBeGreaterThan(43.84 - 0.8);
    expect(ci.lo).toBeLessThan(43.84 + 0.8);
    expect(ci.hi).toBeGreaterThan(55.16 - 0.8);
    expect(ci.hi).toBeLessThan(55.16 + 0.8);
  });

  it('is reproducible with the same seed', () => {
    const a = bootstrapCi({ n: 100, statistic: mean, resamples: 200, random: new Random(7) });
    const b = bootstrapCi({ n: 100, statistic: mean, resamples: 200, random: new Random(7) });
    expect(a).toEqual(b);
  });

  it('percentile interval uses type-7 quantiles and drops NaN', () => {
    // 0..100 with level 0.9: quantiles 0.05 and 0.95 of 101 values = 5 and 95 exactly.
    const reps = [...Array.from({ length: 101 }, (_, i) => i), Number.NaN];
    const interval = percentileInterval(reps, 0.9);
    expect(interval.lo).toBeCloseTo(5, 9);
    expect(interval.hi).toBeCloseTo(95, 9);
    // [1, 2, 3, 4]: median position 1.5 → 2.5
    expect(quantile([4, 1, 3, 2], 0.5)).toBe(2.5);
  });
});

describe('pairedBootstrapDiff', () => {
  it('gives a degenerate interval when every pair differs by the same amount', () => {
    const d = pairedBootstrapDiff({ a: [1, 1, 1, 1], b: [0, 0, 0, 0], resamples: 100, random: new Random(3) });
    // every resample of 4 tasks sums 4·(1 − 0) = 4
    expect(d).toEqual({ mean: 4, lo: 4, hi: 4 });
  });

  it('reports the solved-count difference and a CI around it', () => {
    const a = [1, 1, 1, 0, 1, 0, 1, 1, 1, 1];
    const b = [1, 0, 0, 0, 1, 0, 1, 0, 1, 1];
    // Σa = 8, Σb = 5 → 3; per-task differences are 0 or 1, so every resample sum lies in [0, 10]
    const d = pairedBootstrapDiff({ a, b, resamples: 2000, random: new Random(5) });
    expect(d.mean).toBe(3);
    expect(d.lo).toBeGreaterThanOrEqual(0);
    expect(d.lo).toBeLessThan(3);
    expect(d.hi).toBeGreaterThan(3);
    const m = pairedBootstrapDiff({ a, b, resamples: 2000, random: new Random(5), statistic: 'mean' });
    expect(m.mean).toBeCloseTo(0.3, 12);
    expect(m.lo).toBeCloseTo(d.lo / 10, 12);
  });
});
