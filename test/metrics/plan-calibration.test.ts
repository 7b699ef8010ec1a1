import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/index.js';
import { type PlanOutcomeRow, planCalibration, planMonotonicity } from '../../src/metrics/index.js';
import { getPreset, planPopulation, planPopulationRows, simulatePopulation, withSignalAuroc } from '../../src/sim/index.js';

const row = (level: number, pSuccess: number, resolved: boolean, workerId = 'a'): PlanOutcomeRow => ({ workerId, taskId: `t${level}`, level, pSuccess, resolved });

// Level 1: p 0.5 ×4, one success → mean 0.5, rate 0.25, Brier 0.25, ECE 0.25.
// Level 2: p 0.8 ×2, two successes → rate 1, gap −0.2, Brier 0.04, ECE 0.2.
// Level 4: p 0.9 (solved), 0.7 (failed) → mean 0.8, rate 0.5, Brier (0.01 + 0.49)/2 = 0.25,
//   ECE (|0.9 − 1| + |0.7 − 0|)/2 = 0.4 (two bins).
const rows = [
  row(1, 0.5, true), row(1, 0.5, false), row(1, 0.5, false), row(1, 0.5, false),
  row(2, 0.8, true), row(2, 0.8, true),
  row(4, 0.9, true), row(4, 0.7, false),
  row(2, 0.3, false, 'b'),
];

describe('plan calibration per budget level', () => {
  it('gives mean stated p, observed rate, Brier and ECE per level, per worker and pooled', () => {
    const { overall, perWorker } = planCalibration(rows);
    const a = perWorker.a!;
    expect(a.map((l) => l.level)).toEqual([1, 2, 4]);
    expect(a.map((l) => l.n)).toEqual([4, 2, 2]);
    const close = (values: number[], expected: number[]) => {
      for (const [i, v] of values.entries()) expect(v).toBeCloseTo(expected[i]!, 12);
    };
    close(a.map((l) => l.meanStatedP), [0.5, 0.8, 0.8]);
    close(a.map((l) => l.observedRate), [0.25, 1, 0.5]);
    close(a.map((l) => l.gap), [0.25, -0.2, 0.3]);
    close(a.map((l) => l.brier), [0.25, 0.04, 0.25]);
    close(a.map((l) => l.ece), [0.25, 0.2, 0.4]);
    // Pooled level 2 adds b's 0.3 failure: mean (0.8 + 0.8 + 0.3)/3, rate 2/3.
    expect(overall[1]!.meanStatedP).toBeCloseTo(1.9 / 3, 12);
    expect(overall[1]!.observedRate).toBeCloseTo(2 / 3, 12);
  });

  it('measures whether stated p rises with the budget as outcomes do', () => {
    const menus = [
      { workerId: 'a', taskId: 'x', plans: [{ level: 1, pSuccess: 0.5 }, { level: 2, pSuccess: 0.8 }, { level: 4, pSuccess: 0.9 }] },
      { workerId: 'a', taskId: 'y', plans: [{ level: 1, pSuccess: 0.6 }, { level: 2, pSuccess: 0.5 }] },
      { workerId: 'a', taskId: 'z', plans: [{ level: 4, pSuccess: 0.9 }, { level: 1, pSuccess: 0.2 }] },
    ];
    const result = planMonotonicity({ menus, rows: rows.filter((r) => r.workerId === 'a') });
    expect(result.menus).toBe(3);
    expect(result.monotoneShare).toBeCloseTo(2 / 3, 12);
    // Ranks 0, 1, 2 weighted 4, 2, 2: x̄ = 0.75, Sxx = 5.5; stated Sxy = 0.9, observed Sxy = 1.0.
    expect(result.statedSlope).toBeCloseTo(0.9 / 5.5, 12);
    expect(result.observedSlope).toBeCloseTo(1 / 5.5, 12);
    expect(result.slopeRatio).toBeCloseTo(1 / 0.9, 12);
    // 0.25 → 1 rises, 1 → 0.5 falls.
    expect(result.observedRisingShare).toBe(0.5);
    expect(planMonotonicity({ menus: [], rows: [] }).monotoneShare).toBeNaN();
  });

  it('on simulated plans: every menu is monotone and outcomes rise with the budget (coupled draws)', () => {
    const simulation = simulatePopulation({ spec: withSignalAuroc(getPreset('paper'), 0.8), tasks: 100, random: new Random(9) });
    const population = planPopulation({ simulation, random: new Random(9).fork('plans') });
    const { menus, rows: simRows } = planPopulationRows(population);
    expect(menus).toHaveLength(100 * 6);
    expect(simRows).toHaveLength(100 * 6 * 5);
    const result = planMonotonicity({ menus, rows: simRows });
    expect(result.monotoneShare).toBe(1);
    expect(result.observedRisingShare).toBe(1);
    expect(result.observedSlope).toBeGreaterThan(0);
    expect(result.statedSlope).toBeGreaterThan(0);
  });
});
