import { describe, expect, it } from 'vitest';
import { tQuantile } from '../../src/metrics/index.js';

describe('tQuantile', () => {
  // Student's t table, two-sided 95% (q = 0.975).
  it.each([
    [1, 12.706, 0.001],
    [2, 4.303, 0.001],
    [3, 3.182, 0.005],
    [4, 2.776, 0.001],
    [9, 2.262, 0.001],
    [29, 2.045, 0.001],
  ])('df %i → %f', (df, table, tolerance) => {
    expect(Math.abs(tQuantile(0.975, df) - table)).toBeLessThan(tolerance);
    expect(Math.abs(tQuantile(0.025, df) + table)).toBeLessThan(tolerance);
  });

  it('is NaN outside its domain', () => {
    expect(tQuantile(0, 4)).toBeNaN();
    expect(tQuantile(0.5, 0)).toBeNaN();
  });
});
