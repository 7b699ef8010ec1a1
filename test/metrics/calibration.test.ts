import { describe, expect, it } from 'vitest';
import { auroc, binIndex, brier, brierSkill, ece, logLoss, murphy, reliabilityBins } from '../../src/metrics/index.js';

// Fixture A: p = [0.9, 0.8, 0.3, 0.1], y = [1, 0, 1, 0].
const p = [0.9, 0.8, 0.3, 0.1];
const y = [1, 0, 1, 0];

describe('calibration metrics on a hand-worked fixture', () => {
  it('Brier and Brier skill', () => {
    // (0.1² + 0.8² + 0.7² + 0.1²)/4 = (0.01 + 0.64 + 0.49 + 0.01)/4 = 1.15/4 = 0.2875
    expect(brier({ p, y })).toBeCloseTo(0.2875, 12);
    // base rate 0.5 → reference 0.25; skill = 1 − 0.2875/0.25 = −0.15
    expect(brierSkill({ p, y })).toBeCloseTo(-0.15, 12);
  });

  it('ECE with one row per bin', () => {
    // bins 9, 8, 3, 1 each hold one row: (0.1 + 0.8 + 0.7 + 0.1)/4 = 0.425
    expect(ece({ p, y })).toBeCloseTo(0.425, 12);
  });

  it('ECE with several rows per bin and p = 1 in the last bin', () => {
    // bin 6: p 0.62, 0.65, 0.68 (mean 0.65), y 1, 0, 1 (mean 2/3) → 3·|0.65 − 2/3| = 0.05
    // bin 9: p 1, 1 (mean 1), y 1, 0 (mean 0.5) → 2·0.5 = 1
    // ECE = (0.05 + 1)/5 = 0.21
    expect(ece({ p: [0.62, 0.65, 0.68, 1, 1], y: [1, 0, 1, 1, 0] })).toBeCloseTo(0.21, 12);
    expect(binIndex(1)).toBe(9);
    expect(binIndex(0.9)).toBe(9);
    expect(binIndex(0.7)).toBe(7);
    expect(binIndex(0)).toBe(0);
  });

  it('reliability bins carry counts and means', () => {
    const bins = reliabilityBins({ p: [0.62, 0.65, 0.68, 1, 1], y: [1, 0, 1, 1, 0] });
    expect(bins).toHaveLength(10);
    expect(bins[6]?.n).toBe(3);
    expect(bins[6]?.meanP).toBeCloseTo(0.65, 12);
    expect(bins[6]?.meanY).toBeCloseTo(2 / 3, 12);
    expect(bins[9]?.n).toBe(2);
    expect(bins[0]?.n).toBe(0);
    expect(bins[0]?.meanP).toBeNaN();
  });

  it('Murphy decomposition', () => {
    // One row per bin: reliability = Σ(p−y)²/4 = 0.2875; resolution = 4·(±0.5)²/4 = 0.25;
    // uncertainty = 0.5·0.5 = 0.25; 0.2875 − 0.25 + 0.25 = 0.2875 = Brier, residual 0.
    const m = murphy({ p, y });
    expect(m.reliability).toBeCloseTo(0.2875, 12);
    expect(m.resolution).toBeCloseTo(0.25, 12);
    expect(m.uncertainty).toBeCloseTo(0.25, 12);
    expect(m.residual).toBeCloseTo(0, 12);
  });

  it('log loss', () => {
    // −(ln 0.9 + ln 0.2 + ln 0.3 + ln 0.9)/4 = (0.1053605 + 1.6094379 + 1.2039728 + 0.1053605)/4 = 0.7560329
    expect(logLoss({ p, y })).toBeCloseTo(0.7560329, 6);
    // p = 1 with y = 0 is clipped to 1 − 1e-6: loss = −ln(1e-6) = 13.8155
    expect(logLoss({ p: [1], y: [0] })).toBeCloseTo(13.815511, 5);
  });

  it('AUROC counts ties as ½', () => {
    // positives 0.9, 0.3; negatives 0.8, 0.1: 0.9>0.8, 0.9>0.1, 0.3<0.8, 0.3>0.1 → 3/4
    expect(auroc({ p, y })).toBeCloseTo(0.75, 12);
    // positives 0.5, 0.9; negatives 0.5, 0.5: 0.5 vs 0.5 twice → ½ + ½; 0.9 beats both → 2; 3/4
    expect(auroc({ p: [0.5, 0.5, 0.5, 0.9], y: [1, 0, 0, 1] })).toBeCloseTo(0.75, 12);
    // a constant forecast cannot discriminate: ½
    expect(auroc({ p: [0.6, 0.6, 0.6], y: [1, 0, 1] })).toBeCloseTo(0.5, 12);
    expect(auroc({ p: [0.6, 0.7], y: [1, 1] })).toBeNaN();
  });

  it('weights count rows multiple times', () => {
    // weights [2,0,1,1] equal rows [0.9,0.9,0.3,0.1] with y [1,1,1,0]
    const w = [2, 0, 1, 1];
    const expanded = { p: [0.9, 0.9, 0.3, 0.1], y: [1, 1, 1, 0] };
    expect(brier({ p, y, weights: w })).toBeCloseTo(brier(expanded), 12);
    expect(ece({ p, y, weights: w })).toBeCloseTo(ece(expanded), 12);
    expect(auroc({ p, y, weights: w })).toBeCloseTo(auroc(expanded), 12);
    expect(logLoss({ p, y, weights: w })).toBeCloseTo(logLoss(expanded), 12);
  });
});

describe('identities', () => {
  it('perfect forecasts have Brier 0 and AUROC 1', () => {
    const outcomes = [1, 0, 0, 1, 1, 0];
    expect(brier({ p: outcomes, y: outcomes })).toBe(0);
    expect(ece({ p: outcomes, y: outcomes })).toBe(0);
    expect(auroc({ p: outcomes, y: outcomes })).toBe(1);
  });

  it('a constant forecast equal to the base rate has ECE 0 and Brier = ȳ(1 − ȳ)', () => {
    const outcomes = [1, 1, 1, 0, 1, 0, 1, 1]; // ȳ = 6/8 = 0.75
    const constant = outcomes.map(() => 0.75);
    expect(ece({ p: constant, y: outcomes })).toBeCloseTo(0, 12);
    expect(brier({ p: constant, y: outcomes })).toBeCloseTo(0.75 * 0.25, 12);
    expect(brierSkill({ p: constant, y: outcomes })).toBeCloseTo(0, 12);
  });

  it('Murphy components add up to Brier when forecasts are bin-constant', () => {
    // Forecasts take only the values 0.15, 0.45, 0.85 (one per bin), outcomes arbitrary.
    const fp = [0.15, 0.15, 0.15, 0.45, 0.45, 0.85, 0.85, 0.85, 0.85, 0.85];
    const fy = [0, 0, 1, 1, 0, 1, 1, 1, 0, 1];
    const m = murphy({ p: fp, y: fy });
    expect(m.reliability - m.resolution + m.uncertainty).toBeCloseTo(brier({ p: fp, y: fy }), 12);
    expect(m.residual).toBeCloseTo(0, 12);
  });
});
