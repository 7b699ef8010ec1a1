import { describe, expect, it } from 'vitest';
import { cellKey, Random } from '../../src/core/index.js';
import { auroc } from '../../src/metrics/index.js';
import { aurocOfInformativeness, forecastQuality, parseSignalAuroc, synthesizeForecasts } from '../../src/replay/index.js';
import { gridMatrix, no, ok } from './matrix-fixture.js';

// Worker a resolves 3 of 4 tasks; costs 1, 2, 3, 6 → tokens 1e6·cost (price 1e-6).
const matrix = gridMatrix({
  tasks: ['t1', 't2', 't3', 't4'],
  workers: ['a'],
  grid: [[ok(1)], [ok(2)], [ok(3)], [no(6)]],
});
const ownFold = [0, 1, 2, 3];

/** A one-worker matrix of n tasks, the first `solved` resolved. */
function large(n: number, solved: number) {
  return gridMatrix({
    tasks: Array.from({ length: n }, (_, i) => `t${i}`),
    workers: ['w'],
    grid: Array.from({ length: n }, (_, i) => [i < solved ? ok(1) : no(1)]),
  });
}

describe('synthesized forecasts at a target AUROC', () => {
  it('AUROC 0.5: each task gets the smoothed base rate and mean tokens of the OTHER folds', () => {
    const filled = synthesizeForecasts({ matrix, signalAuroc: { default: 0.5 }, foldOf: ownFold, random: new Random(1) });
    // t1..t3 resolved: the other three hold 2 resolved → (2 + 1)/(3 + 2) = 0.6; t4: 3 of 3 → 4/5.
    expect(matrix.taskIds.map((t) => filled.cells.get(cellKey(t, 'a'))!.p)).toEqual([0.6, 0.6, 0.6, 0.8].map((p) => expect.closeTo(p, 12)));
    // Tokens of t1 from t2, t3, t4: (2 + 3 + 6)/3 million.
    expect(filled.cells.get(cellKey('t1', 'a'))!.expectedTokens).toBeCloseTo(11e6 / 3, 3);
  });

  it("a task's own outcome never moves its base rate (only its own signal)", () => {
    const flipped = gridMatrix({ tasks: ['t1', 't2', 't3', 't4'], workers: ['a'], grid: [[no(1)], [ok(2)], [ok(3)], [no(6)]] });
    const a = synthesizeForecasts({ matrix, signalAuroc: { default: 0.5 }, foldOf: ownFold, random: new Random(1) });
    const b = synthesizeForecasts({ matrix: flipped, signalAuroc: { default: 0.5 }, foldOf: ownFold, random: new Random(1) });
    expect(b.cells.get(cellKey('t1', 'a'))!.p).toBe(a.cells.get(cellKey('t1', 'a'))!.p);
  });

  it.each([0.45, 0.6, 0.8])('realizes the target AUROC %s within ±0.03 at 2,000 tasks, calibrated at bias 0', (target) => {
    const big = large(2000, 1000);
    const foldOf = big.taskIds.map((_, i) => i % 10);
    const filled = synthesizeForecasts({ matrix: big, signalAuroc: { default: target }, foldOf, random: new Random(7) });
    const p = big.taskIds.map((t) => filled.cells.get(cellKey(t, 'w'))!.p as number);
    const y = big.taskIds.map((_, i) => (i < 1000 ? 1 : 0));
    expect(Math.abs(auroc({ p, y }) - target)).toBeLessThan(0.03);
    if (target >= 0.5) {
      // The Bayes posterior of a calibrated signal averages to the base rate, 0.5.
      expect(Math.abs(p.reduce((s, x) => s + x, 0) / p.length - 0.5)).toBeLessThan(0.02);
    }
    expect(forecastQuality(filled).auroc).toBeCloseTo(auroc({ p, y }), 12);
  });

  it('a positive bias raises every stated p (over-confidence)', () => {
    const big = large(200, 100);
    const foldOf = big.taskIds.map((_, i) => i % 10);
    const plain = synthesizeForecasts({ matrix: big, signalAuroc: { default: 0.7 }, foldOf, random: new Random(3) });
    const biased = synthesizeForecasts({ matrix: big, signalAuroc: { default: 0.7 }, bias: 1, foldOf, random: new Random(3) });
    for (const t of big.taskIds) expect(biased.cells.get(cellKey(t, 'w'))!.p!).toBeGreaterThan(plain.cells.get(cellKey(t, 'w'))!.p!);
  });

  it('is seeded, and keeps forecasts a matrix already has', () => {
    const a = synthesizeForecasts({ matrix, signalAuroc: { default: 0.7 }, foldOf: ownFold, random: new Random(4) });
    const b = synthesizeForecasts({ matrix, signalAuroc: { default: 0.7 }, foldOf: ownFold, random: new Random(4) });
    expect([...a.cells.values()]).toEqual([...b.cells.values()]);
    const stated = gridMatrix({ tasks: ['t1'], workers: ['a'], grid: [[ok(1, 0.3, 50)]] });
    expect(synthesizeForecasts({ matrix: stated, signalAuroc: { default: 0.9 }, foldOf: [0], random: new Random(4) })).toBe(stated);
  });

  it('parses a default with per-worker targets and refuses values outside (0, 1)', () => {
    expect(parseSignalAuroc('0.6,gpt-5.2=0.45', 0.59)).toEqual({ default: 0.6, perWorker: { 'gpt-5.2': 0.45 } });
    expect(parseSignalAuroc('a=0.7', 0.59)).toEqual({ default: 0.59, perWorker: { a: 0.7 } });
    expect(() => parseSignalAuroc('1.2', 0.59)).toThrow(/not an AUROC/);
  });

  it('converts the deprecated informativeness to the AUROC it produced (closed form by hand)', () => {
    // I = 0.25: Φ(0.25·2·ln 99 / (√2·2·√(0.25·0.75))) = Φ(1.8760) ≈ 0.9697 (the "about 0.97").
    expect(aurocOfInformativeness(0.25)).toBeCloseTo(0.9697, 3);
    expect(aurocOfInformativeness(0)).toBe(0.5);
  });
});
