import { describe, expect, it } from 'vitest';
import { exactMcNemar } from '../../src/metrics/index.js';

describe('exactMcNemar', () => {
  it('is 1 with no discordant pairs', () => {
    expect(exactMcNemar({ b: 0, c: 0 })).toEqual({ b: 0, c: 0, pValue: 1 });
  });

  it('matches hand-computed binomial tails', () => {
    // b=0, c=5: P(X ≤ 0) = 1/32, two-sided 2/32 = 0.0625.
    expect(exactMcNemar({ b: 0, c: 5 }).pValue).toBeCloseTo(0.0625, 12);
    // b=1, c=9: P(X ≤ 1) = (1 + 10)/1024, two-sided 22/1024.
    expect(exactMcNemar({ b: 9, c: 1 }).pValue).toBeCloseTo(22 / 1024, 12);
    // b=c=3: P(X ≤ 3) = (1 + 6 + 15 + 20)/64 = 42/64, doubled > 1, capped at 1.
    expect(exactMcNemar({ b: 3, c: 3 }).pValue).toBe(1);
  });

  it('does not underflow with thousands of pairs', () => {
    // b=1000, c=1200: z ≈ 200/√2200 ≈ 4.26, so p is small but positive (normal approx ≈ 2e-5).
    const { pValue } = exactMcNemar({ b: 1000, c: 1200 });
    expect(pValue).toBeGreaterThan(1e-6);
    expect(pValue).toBeLessThan(1e-4);
  });

  it('takes hundreds of thousands of discordant pairs (no argument spread of the tail terms)', () => {
    // m = 400,001 is odd, so Bin(m, ½) is symmetric about m/2 and P(X ≤ 200,000) = ½ exactly:
    // the two-sided p is 2·½ = 1 (the log-space sum of 200,001 terms drifts by about 2e-9).
    expect(exactMcNemar({ b: 200_000, c: 200_001 }).pValue).toBeCloseTo(1, 7);
  });

  it('rejects non-integer counts', () => {
    expect(() => exactMcNemar({ b: 1.5, c: 2 })).toThrow(RangeError);
  });
});
