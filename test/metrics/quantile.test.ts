import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/index.js';
import { quantile, selectQuantile, sortedQuantile, weightedSortedQuantile } from '../../src/metrics/index.js';

describe('quantiles', () => {
  it('type 7 by hand', () => {
    // [10, 20, 30, 40, 50]: q = 0.1 → h = 0.4 → 10 + 0.4·10 = 14
    expect(sortedQuantile([10, 20, 30, 40, 50], 0.1)).toBeCloseTo(14, 12);
    expect(sortedQuantile([10, 20, 30, 40, 50], 1)).toBe(50);
    expect(sortedQuantile([], 0.5)).toBeNaN();
  });

  it('weighted quantile equals the quantile of the expanded sample', () => {
    // values 1, 2, 3 with multiplicities 2, 0, 3 → expanded [1, 1, 3, 3, 3]; median = 3,
    // q = 0.3 → h = 1.2 → 1 + 0.2·(3 − 1) = 1.4
    expect(weightedSortedQuantile({ sorted: [1, 2, 3], weights: [2, 0, 3], q: 0.5 })).toBe(3);
    expect(weightedSortedQuantile({ sorted: [1, 2, 3], weights: [2, 0, 3], q: 0.3 })).toBeCloseTo(1.4, 12);
  });

  it('selection agrees with sorting on random samples (with ties and NaN)', () => {
    const random = new Random(9);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + random.int(60);
      const values = Float64Array.from({ length: n }, () => (random.bernoulli(0.1) ? Number.NaN : random.int(15) / 3));
      for (const q of [0, 0.025, 0.25, 0.5, 0.975, 1]) {
        const expected = quantile(values, q);
        const got = selectQuantile(Float64Array.from(values), q);
        if (Number.isNaN(expected)) expect(got).toBeNaN();
        else expect(got).toBeCloseTo(expected, 12);
      }
    }
  });
});
