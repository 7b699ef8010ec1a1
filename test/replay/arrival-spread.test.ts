import { describe, expect, it } from 'vitest';
import { cellKey, type Matrix, Random } from '../../src/core/index.js';
import { assignAtCost, type History, type Mechanism, type TaskRun } from '../../src/mechanisms/index.js';
import { arrivalOrder, formatReplayReport, meanSdCi, runReplay, welfareInterval } from '../../src/replay/index.js';
import { gridMatrix } from './matrix-fixture.js';

/** 40 tasks; w0 ($0.10) solves about 70%, w1 ($0.30) solves everything. */
function world(): Matrix {
  const random = new Random(5);
  const tasks = Array.from({ length: 40 }, (_, i) => `t${i}`);
  const grid = tasks.map(() => [
    { resolved: random.bernoulli(0.7), cost: 0.1, p: 0.5 },
    { resolved: true, cost: 0.3, p: 0.5 },
  ]);
  return gridMatrix({ tasks, workers: ['w0', 'w1'], grid });
}

/** A batch learner: w0 until its history holds a failure of w0, then w1. */
const switcher: Mechanism = {
  name: 'switch',
  parameters: {},
  fit: (history: History) => {
    const failed = history.cells.some((cell) => cell.workerId === 'w0' && !cell.resolved);
    const worker = failed ? 'w1' : 'w0';
    return { name: 'switch', parameters: { worker }, allocate: () => assignAtCost([worker]) };
  },
  allocate: () => assignAtCost(['w0']),
};

/**
 * The switcher under bandit feedback worked out from its documented schedule: refitted on its
 * own attempts after 1, 2, 4 and 8 tasks, then after every 16th.
 */
function byHand(matrix: Matrix, order: number[]): { solved: number; cost: number } {
  const refitAfter = (seen: number) => (seen < 16 ? [1, 2, 4, 8].includes(seen) : seen % 16 === 0);
  let worker = 'w0';
  let failedSeen = false;
  let solved = 0;
  let cost = 0;
  order.forEach((index, position) => {
    const cell = matrix.cells.get(cellKey(matrix.taskIds[index]!, worker))!;
    if (cell.resolved) solved++;
    cost += cell.costUsd;
    if (worker === 'w0' && !cell.resolved) failedSeen = true;
    if (refitAfter(position + 1)) worker = failedSeen ? 'w1' : 'w0';
  });
  return { solved, cost };
}

describe('bandit feedback over seeded arrival orders', () => {
  const matrix = world();
  const seed = 9;

  it('reports mean ± sd and a t interval of solved, cost and welfare equal to a hand replay of each order', () => {
    const report = runReplay({ matrix, mechanisms: [switcher, 'cheapest'], value: 1, maxAttempts: 1, seed, resamples: 0, feedback: 'bandit', arrivalSeeds: 5 });
    expect(report.settings.arrivalSeeds).toBe(5);
    const spread = report.mechanisms.switch!.arrivalSpread!;
    expect(spread.orders).toBe(5);
    const hand = [0, 1, 2, 3, 4].map((k) => byHand(matrix, arrivalOrder({ tasks: 40, root: new Random(seed), k })));
    expect(spread.solved.values).toEqual(hand.map((h) => h.solved));
    for (const [k, h] of hand.entries()) expect(spread.actualCostUsd.values[k]).toBeCloseTo(h.cost, 9);
    // Order 0 is the order of every other figure.
    expect(spread.solved.values[0]).toBe(report.mechanisms.switch!.solved);
    // The orders differ in when w0 first fails, so the results do too.
    expect(new Set(spread.actualCostUsd.values.map((c) => c.toFixed(6))).size).toBeGreaterThan(1);
    const welfare = hand.map((h) => h.solved - h.cost);
    const mean = welfare.reduce((a, b) => a + b, 0) / 5;
    const sd = Math.sqrt(welfare.reduce((a, x) => a + (x - mean) ** 2, 0) / 4);
    expect(spread.welfare.mean).toBeCloseTo(mean, 9);
    expect(spread.welfare.sd).toBeCloseTo(sd, 9);
    // t(0.975, 4) = 2.776 (tables).
    expect(spread.welfare.ci[0]).toBeCloseTo(mean - (2.776 * sd) / Math.sqrt(5), 2);
    expect(spread.welfare.ci[1]).toBeCloseTo(mean + (2.776 * sd) / Math.sqrt(5), 2);
    // A rule that learns nothing does not depend on the order: no spread.
    expect(report.mechanisms.cheapest!.arrivalSpread).toBeUndefined();
    const text = formatReplayReport(report, { format: 'table' });
    expect(text).toContain('Learners over 5 seeded arrival orders');
    expect(text).toMatch(new RegExp(`switch +${spread.solved.mean.toFixed(1)} ± ${spread.solved.sd.toFixed(1)}`));
  });

  it('full feedback and --arrival-seeds 1 report no arrival spread', () => {
    const full = runReplay({ matrix, mechanisms: [switcher], value: 1, maxAttempts: 1, seed, resamples: 0, foldSeeds: 1 });
    expect(full.mechanisms.switch!.arrivalSpread).toBeUndefined();
    expect(full.settings.arrivalSeeds).toBe(1);
    const one = runReplay({ matrix, mechanisms: [switcher], value: 1, maxAttempts: 1, seed, resamples: 0, feedback: 'bandit', arrivalSeeds: 1 });
    expect(one.mechanisms.switch!.arrivalSpread).toBeUndefined();
    expect(() => runReplay({ matrix, mechanisms: [switcher], feedback: 'bandit', arrivalSeeds: 0 })).toThrow(/arrivalSeeds/);
  });

  it('spec-built online learners get a fresh instance per order (order 0 replayed alone gives its values[0])', () => {
    const report = runReplay({ matrix, mechanisms: ['router:thompson'], value: 1, maxAttempts: 1, seed, resamples: 0, feedback: 'bandit', arrivalSeeds: 3 });
    const again = runReplay({ matrix, mechanisms: ['router:thompson'], value: 1, maxAttempts: 1, seed, resamples: 0, feedback: 'bandit', arrivalSeeds: 1 });
    const spread = report.mechanisms['router:thompson']!.arrivalSpread!;
    expect(spread.solved.values[0]).toBe(again.mechanisms['router:thompson']!.solved);
    expect(spread.actualCostUsd.values[0]).toBeCloseTo(again.mechanisms['router:thompson']!.actualCostUsd, 9);
  });
});

describe('meanSdCi', () => {
  it('gives the textbook t interval: 1, 2, 3, 4, 5 → 3 ± 1.581, [1.037, 4.963]', () => {
    const entry = meanSdCi([1, 2, 3, 4, 5]);
    expect(entry.mean).toBe(3);
    expect(entry.sd).toBeCloseTo(Math.sqrt(2.5), 12);
    // 3 ± 2.776 · 1.5811 / √5
    expect(entry.ci[0]).toBeCloseTo(1.037, 2);
    expect(entry.ci[1]).toBeCloseTo(4.963, 2);
    expect(meanSdCi([7]).ci).toEqual([7, 7]);
  });
});

describe('welfareInterval', () => {
  const run = (solved: boolean, costUsd: number): TaskRun =>
    ({ taskId: 't', solved, costUsd, spendUsd: costUsd, tokens: 0, attempts: [], payments: [], allocations: [] }) as TaskRun;

  it('is welfare ± 1.96·√n·sd of the per-task welfare (hand-worked)', () => {
    // Per-task welfare at V = 5: 4, −1, 3, 0 → sum 6, sd √(17/3); half-width 1.96·2·2.3805 = 9.3316.
    const [lo, hi] = welfareInterval({ runs: [run(true, 1), run(false, 1), run(true, 2), run(false, 0)], value: 5 });
    expect(lo).toBeCloseTo(6 - 9.3316, 3);
    expect(hi).toBeCloseTo(6 + 9.3316, 3);
  });

  it('agrees with a task-level bootstrap percentile interval on 400 tasks within 3%', () => {
    const random = new Random(21);
    const runs = Array.from({ length: 400 }, () => run(random.bernoulli(0.7), random.uniform(0, 1)));
    const [lo, hi] = welfareInterval({ runs, value: 5 });
    const totals: number[] = [];
    for (let b = 0; b < 4000; b++) {
      let total = 0;
      for (let i = 0; i < runs.length; i++) {
        const r = runs[random.int(runs.length)]!;
        total += (r.solved ? 5 : 0) - r.costUsd;
      }
      totals.push(total);
    }
    totals.sort((a, b) => a - b);
    const width = hi - lo;
    expect(Math.abs(totals[Math.floor(0.025 * 4000)]! - lo)).toBeLessThan(0.03 * width);
    expect(Math.abs(totals[Math.floor(0.975 * 4000)]! - hi)).toBeLessThan(0.03 * width);
  });
});
