import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/index.js';
import {
  applyPlatt,
  crossFitCalibrated,
  evaluateIsotonic,
  fitCalibrationMap,
  fitPlatt,
  fitTokenScale,
  poolAdjacentViolators,
} from '../../src/reputation/index.js';

describe('pool-adjacent-violators', () => {
  it('pools violators: y = 1, 0, 1, 1 at x = 1..4 → 0.5, 0.5, 1, 1', () => {
    // (1) → 1, (2) → 0 violates → pool {1, 2} to ½ with centre 1.5; then 1, 1 stay.
    const fit = poolAdjacentViolators({ x: [1, 2, 3, 4], y: [1, 0, 1, 1] });
    expect(fit.y).toEqual([0.5, 1]);
    expect(fit.x).toEqual([1.5, 3.5]);
    expect(evaluateIsotonic(fit, 0)).toBe(0.5);
    expect(evaluateIsotonic(fit, 2.5)).toBeCloseTo(0.75, 12);
    expect(evaluateIsotonic(fit, 9)).toBe(1);
  });

  it('pools equal x first and cascades merges: y = 1, 1, 0, 0 at x = 1, 2, 3, 3 → all ½', () => {
    // x = 3 group has mean 0 → merge with (2) → ⅓ → still below (1) → all four: 2/4.
    const fit = poolAdjacentViolators({ x: [3, 1, 3, 2], y: [0, 1, 0, 1] });
    expect(fit.y).toEqual([0.5]);
    expect(fit.x[0]).toBeCloseTo(2.25, 12);
  });

  it('keeps a monotone sequence, one block per distinct level', () => {
    const fit = poolAdjacentViolators({ x: [0.1, 0.5, 0.9], y: [0, 0, 1] });
    expect(fit.y).toEqual([0, 1]);
    expect(fit.x[0]).toBeCloseTo(0.3, 12);
    expect(fit.x[1]).toBeCloseTo(0.9, 12);
  });
});

describe('Platt scaling', () => {
  it('with one stated value, the intercept is the logit of the base rate: 8/10 → ln 4', () => {
    const p = new Array(10).fill(0.5);
    const y = [1, 1, 1, 1, 1, 1, 1, 1, 0, 0];
    const fit = fitPlatt({ p, y, ridge: 1e-9 });
    expect(fit.b).toBeCloseTo(Math.log(4), 4);
    expect(applyPlatt(fit, 0.5)).toBeCloseTo(0.8, 4);
  });

  it('leaves calibrated forecasts close to the identity', () => {
    const random = new Random(3);
    const p: number[] = [];
    const y: number[] = [];
    for (let i = 0; i < 20000; i++) {
      const q = random.uniform(0.05, 0.95);
      p.push(q);
      y.push(random.bernoulli(q) ? 1 : 0);
    }
    const fit = fitPlatt({ p, y });
    expect(fit.a).toBeCloseTo(1, 1);
    expect(fit.b).toBeCloseTo(0, 1);
  });
});

describe('calibration maps', () => {
  it('are the identity below five rows, and clamp to [0.01, 0.99] otherwise', () => {
    expect(fitCalibrationMap({ method: 'isotonic', p: [0.9, 0.9], y: [0, 0] }).apply(0.9)).toBe(0.9);
    const map = fitCalibrationMap({ method: 'isotonic', p: [0.9, 0.9, 0.9, 0.9, 0.9], y: [0, 0, 0, 0, 0] });
    expect(map.apply(0.9)).toBe(0.01);
  });

  it('correct an over-confident worker: says 0.9, solves half → about 0.5', () => {
    const p = new Array(40).fill(0.9);
    const y = p.map((_, i) => (i % 2 === 0 ? 1 : 0));
    expect(fitCalibrationMap({ method: 'isotonic', p, y }).apply(0.9)).toBeCloseTo(0.5, 12);
    expect(fitCalibrationMap({ method: 'platt', p, y }).apply(0.9)).toBeCloseTo(0.5, 1);
  });

  it("cross-fitted calibration never lets a task's own outcome move its own value", () => {
    const random = new Random(8);
    const taskIds = Array.from({ length: 60 }, (_, i) => `t${i}`);
    const p = taskIds.map(() => random.uniform(0.2, 0.9));
    const y: number[] = p.map((q) => (random.bernoulli(q) ? 1 : 0));
    for (const method of ['isotonic', 'platt'] as const) {
      const clean = crossFitCalibrated({ taskIds, p, y, method, folds: 5, random: new Random(1) });
      for (const index of [0, 31, 59]) {
        const poisoned = y.slice();
        poisoned[index] = 1 - (poisoned[index] as number);
        const again = crossFitCalibrated({ taskIds, p, y: poisoned, method, folds: 5, random: new Random(1) });
        expect(again[index]).toBe(clean[index]);
      }
    }
  });
});

describe('token scale', () => {
  it('is Σ actual / Σ forecast over rows with both (here (300 + 100)/(100 + 100) = 2)', () => {
    expect(fitTokenScale({ forecast: [100, 100, null, 0], actual: [300, 100, 50, 70] })).toEqual({ rows: 2, ratio: 2 });
    expect(fitTokenScale({ forecast: [null], actual: [5] }).ratio).toBe(1);
  });
});
