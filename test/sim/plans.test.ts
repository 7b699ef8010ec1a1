import { describe, expect, it } from 'vitest';
import { cellKey, checkPlanMenu, Random } from '../../src/core/index.js';
import {
  getPreset,
  type PlanCell,
  type PlanPopulation,
  type PlanSweepReport,
  planCellAttempt,
  planPopulation,
  runPlanMechanism,
  simulatePopulation,
  sweepPlans,
  withSignalAuroc,
} from '../../src/sim/index.js';
import { runCli } from '../support/capture-io.js';

/**
 * N identical tasks for two workers with known curves and perfect signals: each states its true
 * curve, and expected tokens E[cost(b)]/price with E[cost(b)] = pMax·need·(1 − e^(−b/need)) + (1 − pMax)·b.
 */
function handPopulation(tasks: number, seed: number): PlanPopulation {
  const workers = {
    a: { pMax: 0.9, need: 0.2, price: 1e-5, budgets: [0.1, 0.2, 0.4, 0.8] },
    b: { pMax: 0.5, need: 0.05, price: 1e-6, budgets: [0.025, 0.05, 0.1, 0.2] },
  };
  const random = new Random(seed);
  const cells = new Map<string, PlanCell>();
  const taskIds = Array.from({ length: tasks }, (_, i) => `t${i}`);
  for (const taskId of taskIds) {
    for (const [workerId, w] of Object.entries(workers)) {
      const draw = random.fork(`${taskId}/${workerId}`);
      const curve = { pMax: w.pMax, need: w.need };
      const menu = w.budgets.map((budgetUsd) => {
        const reach = 1 - Math.exp(-budgetUsd / w.need);
        return { budgetUsd, pSuccess: w.pMax * reach, expectedTokens: (w.pMax * w.need * reach + (1 - w.pMax) * budgetUsd) / w.price };
      });
      const capable = draw.next() < w.pMax;
      const timeToSuccess = -w.need * Math.log(1 - draw.next());
      cells.set(cellKey(taskId, workerId), { taskId, workerId, curve, capable, timeToSuccess, perceived: curve, menu });
    }
  }
  return {
    taskIds,
    workerIds: ['a', 'b'],
    taskFeatures: {},
    blendedPrice: { a: workers.a.price, b: workers.b.price },
    budgets: { a: workers.a.budgets, b: workers.b.budgets },
    singlePointIndex: 1,
    cells,
  };
}

describe('production plans in simulation: a case worked by hand', () => {
  // V = B = 1, φ = 0.1·(0.5 + p), ask = e = E[cost(b)]; score = p − 2E − (1 − p)·φ.
  // a: b=0.1 p=.35412 E=.08082 s=.13731; b=0.2 p=.56891 E=.13378 s=.25527;
  //    b=0.4 p=.77820 E=.19564 s=.35857; b=0.8 p=.88352 E=.25670 s=.35399.
  // b: b=0.025 s=.09609; b=0.05 p=.31606 E=.04080 s=.17864; b=0.1 p=.43233 E=.07162 s=.23617; b=0.2 s=.19131.
  // Menus: a's $0.4 plan wins (0.35857); one round gives welfare p − E = 0.58256 per task.
  // Single points ($0.2 for a, $0.05 for b): a wins (0.25527); welfare 0.56891 − 0.13378 = 0.43513.
  // Two rounds with menus: after a fails (1 − 0.77820), b's $0.1 plan wins (0.23617 > 0.17864):
  // 0.58256 + 0.22180·(0.43233 − 0.07162) = 0.66257.
  const tasks = 8000;
  const population = handPopulation(tasks, 11);
  const run = (mechanism: string, arm: 'single' | 'menu', maxAttempts: number) =>
    runPlanMechanism({ population, mechanism, arm, value: 1, maxAttempts, random: new Random(3) });

  // Per-task welfare lies in [−1.6, 1] (two attempts of at most $0.8), so its SD is below 1.3 and
  // 4·SE < 4·1.3/√8000 = 0.058; one round: within [−0.8, 1], SD below 0.9, 4·SE < 0.04.
  const tolerance = 0.04;

  it('menus buy the plan the closed form says, at the closed-form welfare', () => {
    const menus = run('scoring:plans', 'menu', 1);
    expect(menus.levelWins).toEqual([0, 0, tasks, 0]);
    expect(menus.welfare / tasks).toBeGreaterThan(0.58256 - tolerance);
    expect(menus.welfare / tasks).toBeLessThan(0.58256 + tolerance);
  });

  it('single points work at the single-point level, and scoring:plans on them is scoring', () => {
    const single = run('scoring', 'single', 1);
    expect(single.levelWins).toEqual([0, tasks, 0, 0]);
    expect(single.welfare / tasks).toBeGreaterThan(0.43513 - tolerance);
    expect(single.welfare / tasks).toBeLessThan(0.43513 + tolerance);
    expect(run('scoring:plans', 'single', 2)).toEqual(run('scoring', 'single', 2));
  });

  it('a second round goes to the other worker at its own best plan', () => {
    const menus = run('scoring:plans', 'menu', 2);
    expect(menus.welfare / tasks).toBeGreaterThan(0.66257 - 0.058);
    expect(menus.welfare / tasks).toBeLessThan(0.66257 + 0.058);
    // Round 2 happens on the 22.18% of tasks a fails, always at b's $0.1 plan (also level 2).
    expect(menus.levelWins).toEqual([0, 0, menus.attempts, 0]);
    expect((menus.attempts - tasks) / tasks).toBeCloseTo(0.2218, 1);
  });
});

describe('plan populations from the paper preset', () => {
  const simulation = simulatePopulation({ spec: withSignalAuroc(getPreset('paper'), 0.7), tasks: 120, random: new Random(5) });
  const population = planPopulation({ simulation, random: new Random(5).fork('plans') });

  it('every stated menu is valid and rises with the budget; the single-point plan is its middle level', () => {
    expect(population.singlePointIndex).toBe(2);
    for (const cell of population.cells.values()) {
      const check = checkPlanMenu(cell.menu);
      expect(check.ok).toBe(true);
      expect(cell.menu.map((plan) => plan.budgetUsd)).toEqual(population.budgets[cell.workerId]);
      // At the ceiling the stated p tends to the single-point simulation's stated p.
      expect(cell.menu.at(-1)!.pSuccess).toBeLessThanOrEqual(cell.perceived.pMax + 1e-9);
    }
  });

  it('outcomes are monotone in the budget and cost grows with it', () => {
    for (const cell of population.cells.values()) {
      const price = population.blendedPrice[cell.workerId]!;
      const attempts = population.budgets[cell.workerId]!.map((budget) => planCellAttempt(cell, budget, price));
      for (let k = 1; k < attempts.length; k++) {
        if (attempts[k - 1]!.resolved) expect(attempts[k]).toEqual(attempts[k - 1]);
        expect(attempts[k]!.costUsd).toBeGreaterThanOrEqual(attempts[k - 1]!.costUsd);
      }
    }
  });
});

describe('sweepPlans', () => {
  it('pairs arms by seed: the gain is the difference of the arms, and the same seeds give the same report', () => {
    const options = { spec: getPreset('paper'), tasks: 60, seeds: [1, 2], levels: [0.6, 0.9] };
    const report = sweepPlans(options);
    for (const level of report.levels) {
      expect(level.gain.scoring.mean).toBeCloseTo(level.arms['scoring:plans'].welfare.mean - level.arms.scoring.welfare.mean, 9);
      expect(level.gain.reputation.values).toEqual(
        level.arms['reputation:plans'].welfare.values.map((v, s) => v - level.arms.reputation.welfare.values[s]!),
      );
      // Single points always work at the single-point level (index 2).
      expect(level.arms.scoring.levelShare).toEqual([0, 0, 1, 0, 0]);
      const share = level.arms['scoring:plans'].levelShare.reduce((sum, x) => sum + x, 0);
      expect(share).toBeCloseTo(1, 12);
      // Every plan of every menu is played out: 60 tasks × 6 workers × 2 seeds rows per level.
      expect(level.calibration.levels.map((l) => l.n)).toEqual([720, 720, 720, 720, 720]);
      expect(level.calibration.monotonicity.monotoneShare).toBe(1);
    }
    expect(sweepPlans(options)).toEqual(report);
  });
});

describe('marketbench sweep --plans', () => {
  it('prints the welfare table with intervals, the plans won and when menus pay; JSON agrees with the table', async () => {
    const args = ['sweep', '--plans', '--tasks', '40', '--seeds', '2', '--from', '0.6', '--to', '0.8', '--steps', '2'];
    const result = await runCli(args);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\| target AUROC \| realized AUROC \| Brier \| +scoring \| +scoring:plans \| +menus − single \|/m);
    expect(result.stdout.match(/^\| +0\.[68] \| +0\.\d{3} \| 0\.\d{3} \|/gm)).toHaveLength(2);
    expect(result.stdout).toMatch(/^- scoring: menus /m);
    expect(result.stdout).toContain('Stated p against outcomes per budget level');
    expect(result.stdout).toMatch(/^\| +0\.6 \| +0\.\d\d \/ 0\.\d\d \|/m);
    expect(result.stdout).toMatch(/^- reputation: menus /m);
    expect(result.stderr).toContain('plans sweep 4/4');
    const json = await runCli([...args, '--format', 'json']);
    const report = JSON.parse(json.stdout) as PlanSweepReport;
    const first = report.levels[0]!;
    // The table's first row shows the JSON's mean and 95% interval of scoring's welfare.
    const welfare = first.arms.scoring.welfare;
    expect(result.stdout).toContain(`${welfare.mean.toFixed(2)} [${welfare.ci[0].toFixed(2)}, ${welfare.ci[1].toFixed(2)}]`);
    expect(welfare.ci[1] - welfare.mean).toBeCloseTo(1.96 * welfare.se, 9);
  });
});
