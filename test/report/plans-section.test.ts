import { describe, expect, it } from 'vitest';
import type { MarketComparison } from '../../src/market/comparison.js';
import type { PlanAttemptRow } from '../../src/market/plan-bids.js';
import { budgetLabel, planArmsTable, planCalibrationChart, planLevels, planLevelsTable, planMonotonicityLines, twinArm } from '../../src/report/plans-section.js';
import { compileChart } from '../../src/report/render-chart.js';

const cheap = { budgetUsd: 0.1, maxSteps: 3, expectedTokens: 1000, ask: 0.1, expectedCost: 0.1 };
const rich = { budgetUsd: 2, maxSteps: 20, expectedTokens: 5000, ask: 0.5, expectedCost: 0.5 };
const row = (plan: typeof cheap, p: number, resolved: boolean, exitReason: string, costUsd: number): PlanAttemptRow => ({
  arm: 'scoring:plans',
  taskId: `t${p}`,
  workerId: 'w',
  round: 1,
  resolved,
  costUsd,
  plan: { ...plan, pSuccess: p },
  exitReason,
});

describe('the report’s plans section', () => {
  it('groups won plans by budget level: counts, observed rate, mean stated p, Brier and cap stops by hand', () => {
    const levels = planLevels([
      row(rich, 0.9, true, 'submitted', 0.3),
      row(cheap, 0.6, false, 'budget_exhausted', 0.05),
      row(cheap, 0.4, true, 'budget_exhausted', 0.07),
    ]);
    expect(levels.map((level) => level.budget)).toEqual(['$0.10 · 3 steps', '$2.00 · 20 steps']);
    const [low, high] = levels;
    // Cheap: p 0.6 (failed) and 0.4 (solved): mean 0.5, Brier ((0.6)² + (0.6)²)/2 = 0.36, both stopped at the cap.
    expect(low).toMatchObject({ won: 2, resolved: 1, capped: 2 });
    expect(low?.meanP).toBeCloseTo(0.5, 12);
    expect(low?.brier).toBeCloseTo(0.36, 12);
    expect(low?.meanCostUsd).toBeCloseTo(0.06, 12);
    // Rich: p 0.9, solved: Brier 0.01.
    expect(high?.brier).toBeCloseTo(0.01, 12);
    // ECE: p 0.6 in bin [0.6, 0.7) with y 0, p 0.4 in [0.4, 0.5) with y 1: ½·0.6 + ½·0.6 = 0.6.
    expect(planLevelsTable(levels).rows[0]).toEqual(['scoring:plans', '$0.10 · 3 steps', '2', '1', '0.50', '0.50', '0.360', '0.600', '2', '$0.0600']);
    expect(() => compileChart(planCalibrationChart(levels))).not.toThrow();
    // Stated p by level: 0.5 (2 plans) then 0.9; observed 0.5 then 1 → slopes +0.40 and +0.50 per step.
    const lines = planMonotonicityLines({
      rows: [row(rich, 0.9, true, 'submitted', 0.3), row(cheap, 0.6, false, 'budget_exhausted', 0.05), row(cheap, 0.4, true, 'budget_exhausted', 0.07)],
      comparison: { arms: [], matchedTasks: [], unmatchedTasks: [], summaries: [], pairs: [] },
      valueUsd: 1,
      menus: [
        { workerId: 'w', taskId: 'a', plans: [{ level: 0.1, pSuccess: 0.2 }, { level: 2, pSuccess: 0.6 }] },
        { workerId: 'w', taskId: 'b', plans: [{ level: 0.1, pSuccess: 0.7 }, { level: 2, pSuccess: 0.6 }] },
      ],
    });
    expect(lines).toEqual(['scoring:plans: 50% of 2 stated menus never lower p as the budget rises; among the plans it bought, mean stated p moves +0.40 per budget step and the observed rate +0.50.']);
  });

  it('sets a plan arm beside its single-point twin with welfare = V·solved − actual cost', () => {
    expect(twinArm('scoring:plans', ['scoring', 'scoring:plans'])).toBe('scoring');
    expect(twinArm('reputation:plans', ['scoring', 'reputation:plans'])).toBeUndefined();
    expect(budgetLabel({ budgetTokens: 20000 })).toBe('20,000 tokens');
    const summary = (arm: string, solved: number, totalCostUsd: number) => ({ arm, solved, n: 3, totalCostUsd }) as MarketComparison['summaries'][number];
    const comparison = {
      arms: ['scoring', 'scoring:plans'],
      matchedTasks: ['a', 'b', 'c'],
      unmatchedTasks: [],
      summaries: [summary('scoring', 2, 1.5), summary('scoring:plans', 3, 0.75)],
      pairs: [{ a: 'scoring', b: 'scoring:plans', onlyA: 0, onlyB: 1, pValue: 1 }],
    } as MarketComparison;
    const table = planArmsTable({ rows: [], comparison, valueUsd: 1 });
    // scoring:plans: 3 × $1 − $0.75 = $2.25; scoring: 2 × $1 − $1.50 = $0.50.
    expect(table?.rows.slice(0, 2)).toEqual([
      ['scoring:plans', '3/3', '$0.75', '$2.25'],
      ['scoring', '2/3', '$1.50', '$0.50'],
    ]);
  });
});
