import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/index.js';
import { sigmoid } from '../../src/core/logistic.js';
import {
  BiasFitter,
  bisect,
  gridAuroc,
  gridIndex,
  median,
  paperPreset,
  simulateMatrix,
  simulatePopulation,
  snapGrid,
  snapToGrid,
} from '../../src/sim/index.js';
import { pairwiseAuroc } from '../support/pairwise-auroc.js';

/** The mean stated p by the plain definition: snap every task's σ, sum in task order. */
function plainMean(perceived: Float64Array, anchorLogit: number, step: number): number {
  let sum = 0;
  for (const x of perceived) sum += snapToGrid({ p: sigmoid(anchorLogit + x), anchorLogit, step });
  return sum / perceived.length;
}

describe('gridAuroc', () => {
  it('counts ties as ½ and merges indices clipped to the same value (hand case)', () => {
    // Anchor 0.5, step 0.3: indices −2 and −3 both clip to 0, index 2 clips to 1.
    // Scores: y=1 at 0.8, 1 (k=2), 0 (k=−3); y=0 at 0 (k=−2), 0.8, 0.5.
    // Positive 0.8 beats 0 and 0.5, ties 0.8: 2.5; positive 1 beats all three: 3; positive 0
    // ties 0 and loses to the rest: 0.5. AUROC = 6 / 9.
    const grid = { anchor: 0.5, step: 0.3 };
    const k = Float64Array.from([1, 2, -3, -2, 1, 0]);
    const y = Uint8Array.from([1, 1, 1, 0, 0, 0]);
    expect(gridAuroc({ k, y, grid })).toBeCloseTo(6 / 9, 15);
  });

  it('equals AUROC by definition on random grid scores, and is NaN with one class', () => {
    const random = new Random(7);
    for (const step of [0.05, 0.1, 0.5, 1e-7]) {
      const anchorLogit = random.normal();
      const grid = snapGrid({ anchorLogit, step });
      const p = Array.from({ length: 200 }, () => random.next());
      const y = Uint8Array.from(p, () => (random.bernoulli(0.6) ? 1 : 0));
      const k = Float64Array.from(p, (value) => gridIndex(grid, value));
      const scores = p.map((value) => snapToGrid({ p: value, anchorLogit, step }));
      expect(gridAuroc({ k, y, grid })).toBeCloseTo(pairwiseAuroc(scores, Array.from(y, (v) => v === 1)), 12);
    }
    expect(gridAuroc({ k: Float64Array.from([0, 1]), y: Uint8Array.from([1, 1]), grid: { anchor: 0.5, step: 0.1 } })).toBeNaN();
  });
});

describe('BiasFitter', () => {
  it('returns the same bias and stated p as bisection over the plain mean, ties at the target included', () => {
    const random = new Random(3);
    for (let trial = 0; trial < 12; trial++) {
      const n = 50 + random.int(400);
      const step = [0.05, 0.1, 0.02, 0.25][trial % 4] as number;
      const ability = random.normal(1, 1);
      const perceived = Float64Array.from({ length: n }, () => random.normal(0, 1.5));
      // Half the trials aim at a mean the plain evaluation actually reaches at some bias, so the
      // bisection meets f(mid) equal to the target.
      const target = trial % 2 === 0 ? random.uniform(0.2, 0.9) : plainMean(perceived, ability + random.normal(-1, 0.5), step);
      const expected = bisect({ f: (b) => plainMean(perceived, ability + b, step), target, low: -30, high: 30 });
      const fit = new BiasFitter({ tasks: n, ability, step, target }).fit(perceived);
      expect(fit.bias).toBe(expected);
      const grid = snapGrid({ anchorLogit: ability + expected, step });
      expect(fit.grid).toEqual(grid);
      for (let j = 0; j < n; j++) {
        // + 0 because Math.round gives −0 for (−0.5, 0), the same grid point as 0.
        expect((fit.k[j] as number) + 0).toBe(gridIndex(grid, sigmoid(ability + expected + (perceived[j] as number))) + 0);
      }
    }
  });
});

describe('simulateMatrix', () => {
  it('builds the same matrix as simulatePopulation', () => {
    const full = simulatePopulation({ spec: paperPreset, tasks: 60, random: new Random(4) });
    const lean = simulateMatrix({ spec: paperPreset, tasks: 60, random: new Random(4) });
    expect(lean.matrix).toEqual(full.matrix);
    expect([...lean.matrix.cells.keys()]).toEqual([...full.matrix.cells.keys()]);
    expect(lean.fitted).toEqual(full.fitted);
    expect(lean.tasks).toEqual(full.tasks);
    expect(lean.workers).toEqual(full.workers);
  });
});

describe('median', () => {
  it('takes typed arrays and lists alike', () => {
    expect(median(Float64Array.from([3, -1, 2]))).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median(new Float64Array(0))).toThrow(RangeError);
  });
});
