import { describe, expect, it } from 'vitest';
import { tokenRatios, tokenRatioStats } from '../../src/metrics/index.js';

describe('token ratio', () => {
  it('divides stated by actual tokens and marks unusable rows NaN', () => {
    const ratios = tokenRatios({ expected: [1000, 500, null, 100, 200], actual: [10000, 500, 300, 0, null] });
    expect(Array.from(ratios.subarray(0, 2))).toEqual([0.1, 1]);
    expect(ratios[2]).toBeNaN();
    expect(ratios[3]).toBeNaN();
    expect(ratios[4]).toBeNaN();
  });

  it('summarizes median, IQR and mean log10 by hand', () => {
    // ratios 0.01, 0.1, 1, 10 (sorted): median = (0.1 + 1)/2 = 0.55;
    // q1 at h = 3·0.25 = 0.75 → 0.01 + 0.75·0.09 = 0.0775; q3 at h = 2.25 → 1 + 0.25·9 = 3.25;
    // mean log10 = (−2 − 1 + 0 + 1)/4 = −0.5
    const stats = tokenRatioStats([10, 0.01, Number.NaN, 1, 0.1]);
    expect(stats.n).toBe(4);
    expect(stats.median).toBeCloseTo(0.55, 12);
    expect(stats.q1).toBeCloseTo(0.0775, 12);
    expect(stats.q3).toBeCloseTo(3.25, 12);
    expect(stats.iqr).toBeCloseTo(3.1725, 12);
    expect(stats.meanLog10).toBeCloseTo(-0.5, 12);
  });

  it('is NaN with no usable rows', () => {
    const stats = tokenRatioStats([Number.NaN]);
    expect(stats.n).toBe(0);
    expect(stats.median).toBeNaN();
  });
});
