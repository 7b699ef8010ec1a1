import { describe, expect, it } from 'vitest';
import { planAnalysis, planAnalysisText, plannedAttemptRows } from '../../src/cli/commands/analyze-plans.js';

describe('the plan analysis of recorded plans', () => {
  const attempt = (taskId: string, workerId: string, budgetUsd: number, pSuccess: number, resolved: boolean) => ({
    arm: 'scoring:plans',
    taskId,
    workerId,
    resolved,
    plan: { budgetUsd, pSuccess },
  });
  // Worker a at $0.5: p 0.4 (failed), 0.6 (solved) → mean 0.5, rate 0.5, Brier (0.16 + 0.16)/2 = 0.16.
  // Worker a at $2: p 0.8 ×2 (solved, failed) → mean 0.8, rate 0.5, Brier (0.04 + 0.64)/2 = 0.34.
  // t1/a/$0.5 appears twice (one attempt served two arms) and counts once; b's token-budget plan is its own level.
  const attempts = [
    attempt('t1', 'a', 0.5, 0.4, false),
    attempt('t1', 'a', 0.5, 0.4, false),
    attempt('t2', 'a', 0.5, 0.6, true),
    attempt('t3', 'a', 2, 0.8, true),
    attempt('t4', 'a', 2, 0.8, false),
    { arm: 'scoring:plans', taskId: 't5', workerId: 'b', resolved: true, plan: { budgetTokens: 50_000, pSuccess: 0.9 } },
    { arm: 'scoring:plans', taskId: 't6', workerId: 'b', resolved: true, plan: { pSuccess: 0.9 } },
    // The other plan arm's own attempt on t1 is a row of its own.
    { arm: 'reputation:plans', taskId: 't1', workerId: 'a', resolved: true, plan: { budgetUsd: 8, pSuccess: 0.9 } },
  ];

  it('counts an attempt once per (task, worker, level) and skips uncapped plans', () => {
    const rows = plannedAttemptRows(attempts);
    expect(rows.map((row) => `${row.taskId}/${row.level}`)).toEqual(['t1/0.5', 't2/0.5', 't3/2', 't4/2', 't5/50000', 't1/8']);
  });

  it('prints stated p against outcomes per level and whether p rises with the budget', () => {
    const menus = [
      { workerId: 'a', taskId: 't1', plans: [{ level: 0.5, pSuccess: 0.4 }, { level: 2, pSuccess: 0.7 }] },
      { workerId: 'a', taskId: 't3', plans: [{ level: 0.5, pSuccess: 0.9 }, { level: 2, pSuccess: 0.8 }] },
    ];
    const analysis = planAnalysis({ rows: plannedAttemptRows(attempts).filter((row) => row.workerId === 'a' && row.level < 8), menus });
    const a = analysis.calibration.perWorker.a!;
    expect(a.map((l) => [l.level, l.n])).toEqual([[0.5, 2], [2, 2]]);
    expect(a[0]!.brier).toBeCloseTo(0.16, 12);
    expect(a[1]!.brier).toBeCloseTo(0.34, 12);
    // Stated rises 0.5 → 0.8 over one step, observed stays 0.5: slopes 0.3 and 0, ratio 0.
    expect(analysis.monotonicity.statedSlope).toBeCloseTo(0.3, 12);
    expect(analysis.monotonicity.observedSlope).toBeCloseTo(0, 12);
    expect(analysis.monotonicity.monotoneShare).toBe(0.5);
    const text = planAnalysisText(analysis);
    expect(text).toMatch(/^\| all +\| +0\.5 \| +2 \| +0\.500 \| +0\.500 \| +0\.000 \| 0\.160 \|/m);
    expect(text).toMatch(/^\| a +\| +2 \| +2 \| +0\.800 \| +0\.500 \| +0\.300 \| 0\.340 \|/m);
    expect(text).toContain('50% of 2 stated menus are monotone; slope per level step: stated 0.300, observed 0.000 (ratio 0.00');
  });
});
