import { describe, expect, it } from 'vitest';
import { logit, sigmoid } from '../../src/core/index.js';

describe('sigmoid and logit', () => {
  it('σ(0) = ½, σ(ln 3) = ¾, and no overflow at ±1000', () => {
    expect(sigmoid(0)).toBe(0.5);
    expect(sigmoid(Math.log(3))).toBeCloseTo(0.75, 15);
    expect(sigmoid(1000)).toBe(1);
    expect(sigmoid(-1000)).toBe(0);
  });

  it('logit inverts sigmoid and clips 0 and 1 to ±ln((1 − ε)/ε)', () => {
    for (const x of [-5, -0.3, 0, 2.5]) expect(logit(sigmoid(x))).toBeCloseTo(x, 10);
    expect(logit(0.75)).toBeCloseTo(Math.log(3), 15);
    expect(logit(0)).toBeCloseTo(Math.log(1e-9 / (1 - 1e-9)), 9);
    expect(logit(1, 1e-6)).toBeCloseTo(Math.log((1 - 1e-6) / 1e-6), 9);
  });
});
