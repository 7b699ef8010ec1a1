import { describe, expect, it } from 'vitest';
import { cellKey, type Matrix, Random } from '../../src/core/index.js';
import { assignAtCost, type History, type Mechanism } from '../../src/mechanisms/index.js';
import { runReplay } from '../../src/replay/index.js';
import { gridMatrix } from './matrix-fixture.js';

/** 60 tasks × 4 workers with noisy outcomes; worker w costs $0.1·(w + 1). */
function world(): Matrix {
  const random = new Random(11);
  const workers = ['w0', 'w1', 'w2', 'w3'];
  const tasks = Array.from({ length: 60 }, (_, i) => `t${i}`);
  const grid = tasks.map(() => workers.map((_, w) => ({ resolved: random.bernoulli(0.35 + 0.1 * w), cost: 0.1 * (w + 1), p: 0.5 })));
  return gridMatrix({ tasks, workers, grid });
}

/** Learns the worker with the most resolved cells in its training history (ties to the first); records each training set. */
function bestSolo(trainingSets: string[][]): Mechanism {
  return {
    name: 'best-solo',
    parameters: {},
    fit: (history: History) => {
      trainingSets.push(history.tasks.map((task) => task.taskId));
      const wins = history.workerIds.map((workerId) => history.cells.filter((cell) => cell.workerId === workerId && cell.resolved).length);
      const best = history.workerIds[wins.indexOf(Math.max(...wins))] as string;
      return { name: 'best-solo', parameters: { best }, allocate: () => assignAtCost([best]) };
    },
    allocate: () => assignAtCost(['w0']),
  };
}

describe('learned mechanisms over several fold assignments', () => {
  it('reports mean ± sd of solved, cost and welfare equal to a separate per-assignment computation', () => {
    const matrix = world();
    const trainingSets: string[][] = [];
    const folds = 3;
    const report = runReplay({ matrix, mechanisms: [bestSolo(trainingSets)], value: 2, maxAttempts: 1, seed: 4, resamples: 0, folds, foldSeeds: 5 });
    const spread = report.mechanisms['best-solo']!.foldSpread!;
    expect(report.settings.foldSeeds).toBe(5);
    expect(spread.assignments).toBe(5);
    // 5 assignments × 3 folds, in order; the held-out fold is every task outside the training set.
    expect(trainingSets).toHaveLength(15);
    const solved: number[] = [];
    const cost: number[] = [];
    for (let k = 0; k < 5; k++) {
      let s = 0;
      let c = 0;
      for (const training of trainingSets.slice(k * folds, (k + 1) * folds)) {
        const inTraining = new Set(training);
        const wins = matrix.workerIds.map((w) => training.filter((t) => matrix.cells.get(cellKey(t, w))!.resolved).length);
        const best = matrix.workerIds[wins.indexOf(Math.max(...wins))]!;
        for (const t of matrix.taskIds.filter((task) => !inTraining.has(task))) {
          const cell = matrix.cells.get(cellKey(t, best))!;
          s += cell.resolved ? 1 : 0;
          c += cell.costUsd;
        }
      }
      solved.push(s);
      cost.push(c);
    }
    // Each assignment's held-out folds partition the 60 tasks.
    for (let k = 0; k < 5; k++) expect(trainingSets.slice(k * folds, (k + 1) * folds).reduce((n, set) => n + (60 - set.length), 0)).toBe(60);
    const welfare = solved.map((s, i) => 2 * s - cost[i]!);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = (xs: number[]) => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / (xs.length - 1));
    expect(spread.solved.values).toEqual(solved);
    expect(spread.solved.mean).toBeCloseTo(mean(solved), 9);
    expect(spread.solved.sd).toBeCloseTo(sd(solved), 9);
    expect(spread.actualCostUsd.mean).toBeCloseTo(mean(cost), 9);
    expect(spread.welfare.mean).toBeCloseTo(mean(welfare), 9);
    expect(spread.welfare.sd).toBeCloseTo(sd(welfare), 9);
    // Assignment 0 is the one the main figures use.
    expect(solved[0]).toBe(report.mechanisms['best-solo']!.solved);
    // The assignments differ (different training sets), so they are not one assignment repeated.
    expect(new Set(trainingSets.map((set) => set.slice().sort().join(','))).size).toBe(15);
  });

  it('a worker that solves everything cheapest gives sd 0 and the closed-form mean', () => {
    const workers = ['a', 'b', 'c'];
    const tasks = Array.from({ length: 30 }, (_, i) => `t${i}`);
    const grid = tasks.map(() => workers.map((w) => ({ resolved: w === 'b', cost: w === 'b' ? 0.2 : 0.1, p: 0.5 })));
    const matrix = gridMatrix({ tasks, workers, grid });
    const report = runReplay({ matrix, mechanisms: ['cascade:pair', 'oracle'], value: 3, seed: 1, resamples: 0, folds: 3, foldSeeds: 6 });
    const spread = report.mechanisms['cascade:pair']!.foldSpread!;
    // Every training fold shows b solving all at $0.2 (welfare 2.8 a task): the pair starts with b.
    expect(spread.solved).toMatchObject({ mean: 30, sd: 0 });
    expect(spread.actualCostUsd.mean).toBeCloseTo(6, 9);
    expect(spread.welfare.mean).toBeCloseTo(84, 9);
    expect(spread.welfare.sd).toBeCloseTo(0, 9);
    // Mechanisms that learn nothing have no spread; bandit feedback has no folds.
    expect(report.mechanisms.oracle!.foldSpread).toBeUndefined();
    const bandit = runReplay({ matrix, mechanisms: ['cascade:pair'], value: 3, seed: 1, resamples: 0, feedback: 'bandit' });
    expect(bandit.mechanisms['cascade:pair']!.foldSpread).toBeUndefined();
    expect(bandit.settings.foldSeeds).toBe(1);
  });
});
