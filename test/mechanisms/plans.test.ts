import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Bid, type PricedPlan, Random } from '../../src/core/index.js';
import {
  type AllocationContext,
  type History,
  type HistoryCell,
  mechanismFromSpec,
  reputationPlans,
  runTaskRounds,
  scoringPlansRound,
  scoringRound,
  winningPlanOf,
} from '../../src/mechanisms/index.js';
import { runReplay } from '../../src/replay/index.js';
import { loadPaperMatrix } from '../../src/runtime/data/matrix-paper.js';

function bid(workerId: string, fields: Partial<Bid>): Bid {
  return { workerId, taskId: 't', ask: 0, pSuccess: 0.5, expectedCost: 0, fallback: false, ...fields };
}

function context(roster: string[], value = 1): AllocationContext {
  return { round: 1, maxAttempts: 2, value, roster, available: roster.slice(), previous: [] };
}

const task = { taskId: 't', features: {} };
const none = { reputation: {}, meanCost: {} };

describe('scoring:plans', () => {
  // B = V = 1, rate 0.1, φ = 0.1·(0.5 + p).
  // a, plan $0.1: 0.5 − 0.05 − 0.05 − 0.5·0.1·1.0 = 0.35
  // a, plan $0.3: 0.8 − 0.2 − 0.2 − 0.2·0.1·1.3 = 0.374
  // b, one point: 0.45 − 0.02 − 0.02 − 0.55·0.1·0.95 = 0.35775
  const cheap: PricedPlan = { budgetUsd: 0.1, pSuccess: 0.5, expectedTokens: 500, ask: 0.05, expectedCost: 0.05 };
  const rich: PricedPlan = { budgetUsd: 0.3, maxSteps: 30, pSuccess: 0.8, expectedTokens: 2000, ask: 0.2, expectedCost: 0.2 };
  const b = bid('b', { pSuccess: 0.45, ask: 0.02, expectedCost: 0.02 });

  it('scores every (worker, plan) pair and names the winning plan and its caps', () => {
    const a = bid('a', { pSuccess: 0.5, ask: 0.05, expectedCost: 0.05, plans: [cheap, rich] });
    const decision = scoringPlansRound({ bids: [a, b], context: context(['a', 'b']), bounty: 1, penaltyRate: 0.1, forceBids: false, learned: none });
    expect(decision.workerIds).toEqual(['a']);
    const planScores = decision.detail.planScores as Record<string, number[]>;
    expect(planScores.a?.[0]).toBeCloseTo(0.35, 12);
    expect(planScores.a?.[1]).toBeCloseTo(0.374, 12);
    expect(planScores.b?.[0]).toBeCloseTo(0.35775, 12);
    expect(decision.payments).toEqual([{ workerId: 'a', amount: 0.2, reason: 'ask', when: 'always' }]);
    expect(decision.plans).toEqual({ a: rich });
    expect(winningPlanOf(decision.detail)).toEqual({ ...rich, workerId: 'a', index: 1 });
    // With only the cheap plan, a scores 0.35 < b's 0.35775: the richer plan is what wins a the task.
    const single = scoringPlansRound({ bids: [{ ...a, plans: [cheap] }, b], context: context(['a', 'b']), bounty: 1, penaltyRate: 0.1, forceBids: false, learned: none });
    expect(single.workerIds).toEqual(['b']);
    expect(winningPlanOf(single.detail)?.index).toBe(0);
    expect(winningPlanOf({})).toBeNull();
  });

  it('gives the winning plan to the attempt and retries the next worker after a failure', () => {
    const a = bid('a', { plans: [cheap, rich] });
    const seen: (PricedPlan | undefined)[] = [];
    const run = runTaskRounds({
      mechanism: mechanismFromSpec('scoring:plans', ['a', 'b']),
      task,
      bids: [a, b],
      roster: ['a', 'b'],
      maxAttempts: 2,
      value: 1,
      random: new Random(1),
      attempt: (workerId, plan) => {
        seen.push(plan);
        return { workerId, resolved: workerId === 'b', costUsd: 0.1, tokens: 100 };
      },
    });
    // Round 1: a's $0.3 plan wins and fails; round 2: b, a single-point bid, is a plan with no caps.
    expect(run.attempts.map((attempt) => attempt.workerId)).toEqual(['a', 'b']);
    expect(seen).toEqual([rich, { pSuccess: 0.45, expectedTokens: 0, ask: 0.02, expectedCost: 0.02 }]);
    expect(run.solved).toBe(true);
    expect(winningPlanOf(run.allocations[0]!.detail)?.budgetUsd).toBe(0.3);
  });

  it('on single-point bids allocates exactly as the scoring auction (random bids)', () => {
    const random = new Random(7);
    const roster = ['w1', 'w2', 'w3', 'w4'];
    for (let trial = 0; trial < 500; trial++) {
      const bids = roster
        .filter(() => random.next() < 0.8)
        .map((workerId) => {
          const cost = Math.round(random.next() * 40) / 100;
          return bid(workerId, { pSuccess: Math.round(random.next() * 10) / 10, ask: cost, expectedCost: cost, etaSeconds: Math.floor(random.next() * 3) });
        });
      const learned = { reputation: Object.fromEntries(roster.map((w) => [w, Math.round(random.next() * 2) / 2])), meanCost: { w1: 0.1, w2: 0.2, w3: 0.05, w4: 0.3 } };
      const options = { bids, context: context(roster), bounty: 1, penaltyRate: 0.1, forceBids: trial % 2 === 0, learned };
      const plain = scoringRound(options);
      const plans = scoringPlansRound(options);
      expect(plans.workerIds).toEqual(plain.workerIds);
      expect(plans.payments).toEqual(plain.payments);
      expect(plans.detail.scores).toEqual(plain.detail.scores);
    }
  });
});

const paperFile = path.resolve('../shared/data/marketbench/calibration_results_norationale.csv');
const paper = existsSync(paperFile);

describe.skipIf(!paper)('plan mechanisms on the paper matrix (single-point bids)', () => {
  it('scoring:plans equals scoring and reputation:plans equals reputation, task by task', () => {
    if (!paper) console.log(`skipped: ${paperFile} is absent`);
    const { matrix } = loadPaperMatrix({ file: paperFile });
    const report = runReplay({ matrix, mechanisms: ['scoring', 'scoring:plans', 'reputation', 'reputation:plans:platt', 'reputation:platt', 'reputation:plans'], resamples: 0 });
    const same = (x: string, y: string) => {
      const left = report.mechanisms[x]!;
      const right = report.mechanisms[y]!;
      expect(right.perTask).toEqual(left.perTask);
      expect(right.welfare).toBe(left.welfare);
    };
    same('scoring', 'scoring:plans');
    same('reputation', 'reputation:plans');
    same('reputation:platt', 'reputation:plans:platt');
    // Not vacuous: the auction allocated and spent on the paper's rows.
    expect(report.mechanisms.scoring!.attempts).toBeGreaterThan(50);
  });
});

describe('reputation:plans', () => {
  it('calibrates each budget level on its own rows', () => {
    // Worker a states 0.9 at both levels; at $1 it solved 1 of 10 rows, at $5 9 of 10 rows.
    // Isotonic on one stated value gives the level's rate: 0.1 at $1 and 0.9 at $5.
    const cells: HistoryCell[] = [];
    for (const [budgetUsd, solved] of [[1, 1], [5, 9]] as const) {
      for (let i = 0; i < 10; i++) {
        cells.push({ taskId: `h${budgetUsd}-${i}`, workerId: 'a', resolved: i < solved, costUsd: 0.1, tokens: 100, p: 0.9, expectedTokens: 100, plan: { budgetUsd } });
      }
    }
    const history: History = { workerIds: ['a'], tasks: [], cells, blendedPrice: { a: 0.001 } };
    const fitted = reputationPlans().fit!(history, new Random(1), { value: 1, maxAttempts: 2 });
    const plan = (budgetUsd: number): PricedPlan => ({ budgetUsd, pSuccess: 0.9, expectedTokens: 100, ask: 0.1, expectedCost: 0.1 });
    const decision = fitted.allocate(task, [bid('a', { plans: [plan(1), plan(5), plan(2)] })], context(['a']), new Random(1));
    // $2 has no rows: the pooled map (10 of 20 solved at 0.9) gives 0.5.
    expect(decision.detail.calibratedP).toEqual({ a: [expect.closeTo(0.1, 12), expect.closeTo(0.9, 12), expect.closeTo(0.5, 12)] });
    expect(winningPlanOf(decision.detail)?.budgetUsd).toBe(5);
  });

  it('rejects unknown variants by name', () => {
    expect(() => mechanismFromSpec('scoring:menus', ['a'])).toThrow(/unknown scoring variant 'menus'/);
    expect(() => mechanismFromSpec('reputation:plans:spline', ['a'])).toThrow(/unknown calibration 'spline'/);
    expect(mechanismFromSpec('reputation:plans:platt', ['a']).name).toBe('reputation:plans:platt');
  });
});
