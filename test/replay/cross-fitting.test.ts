import { describe, expect, it } from 'vitest';
import { cellKey, type Matrix, Random } from '../../src/core/index.js';
import { crossFitFolds, runReplay } from '../../src/replay/index.js';
import { gridMatrix } from './matrix-fixture.js';

const LEARNED = ['strongest', 'cascade:learned:shrink=2', 'router:learned:ridge=1', 'scoring', 'reputation', 'reputation:platt'];

/** 80 tasks × 4 workers with informative stated p, repos and statement lengths. */
function world(): Matrix {
  const random = new Random(2024);
  const workers = ['w1', 'w2', 'w3', 'w4'];
  const tasks = Array.from({ length: 80 }, (_, i) => `t${i}`);
  const features: Record<string, Record<string, number | string>> = {};
  const grid = tasks.map((taskId) => {
    features[taskId] = { repo: `r${random.int(3)}`, statementChars: Math.round(random.lognormal(7, 1)) };
    return workers.map((_, w) => {
      const skill = 0.3 + 0.15 * w;
      const resolved = random.bernoulli(skill);
      const p = Math.min(0.98, Math.max(0.02, (resolved ? 0.2 : -0.2) + skill + random.normal(0, 0.15)));
      const cost = (w + 1) * random.uniform(0.05, 0.3);
      return { resolved, cost, p, expectedTokens: cost * 1e6 * random.uniform(0.3, 1) };
    });
  });
  return gridMatrix({ tasks, workers, grid, features });
}

/** The same matrix with every outcome of the given tasks flipped. */
function poison(matrix: Matrix, taskIds: string[]): Matrix {
  const cells = new Map(matrix.cells);
  for (const taskId of taskIds) {
    for (const workerId of matrix.workerIds) {
      const key = cellKey(taskId, workerId);
      const cell = cells.get(key)!;
      cells.set(key, { ...cell, resolved: !cell.resolved });
    }
  }
  return { ...matrix, cells };
}

function firstRound(matrix: Matrix, seed = 9): Record<string, string[]> {
  const report = runReplay({ matrix, mechanisms: LEARNED, value: 5, seed, resamples: 0 });
  return Object.fromEntries(
    Object.entries(report.mechanisms).map(([name, result]) => [name, result.perTask.map((task) => task.attempts[0]?.workerId ?? '-')]),
  );
}

describe('cross-fitting', () => {
  const matrix = world();
  const clean = firstRound(matrix);

  it("poisoning a task's own outcomes never changes its own first allocation", () => {
    for (const index of [0, 17, 42, 79]) {
      const taskId = matrix.taskIds[index]!;
      const poisoned = firstRound(poison(matrix, [taskId]));
      for (const name of LEARNED) expect(poisoned[name]![index], `${name} on ${taskId}`).toBe(clean[name]![index]);
    }
  });

  it('…while poisoning the OTHER tasks does change allocations (the mechanisms do learn from history)', () => {
    const index = 5;
    const others = matrix.taskIds.filter((_, i) => i !== index);
    const poisoned = firstRound(poison(matrix, others));
    const changed = LEARNED.filter((name) => poisoned[name]![index] !== clean[name]![index]);
    expect(changed.length).toBeGreaterThan(0);
  });

  it('deals tasks into K folds of near-equal size, fixed by the seed', () => {
    const taskIds = Array.from({ length: 23 }, (_, i) => `t${i}`);
    const folds = crossFitFolds({ taskIds, folds: 5, random: new Random(1) });
    const sizes = [0, 1, 2, 3, 4].map((k) => folds.filter((f) => f === k).length);
    expect(sizes.sort()).toEqual([4, 4, 5, 5, 5]);
    expect(crossFitFolds({ taskIds, folds: 5, random: new Random(1) })).toEqual(folds);
  });

  it('same seed, same report; another seed, another fold assignment', () => {
    expect(firstRound(matrix, 9)).toEqual(clean);
    const a = runReplay({ matrix, mechanisms: ['cascade:learned:shrink=2'], seed: 1, resamples: 50 });
    const b = runReplay({ matrix, mechanisms: ['cascade:learned:shrink=2'], seed: 1, resamples: 50 });
    expect(b).toEqual(a);
  });
});

describe('nested cross-validation of hyper-parameters', () => {
  const matrix = world();
  const TUNED = ['cascade:learned', 'router:learned'];
  const foldParameters = (m: Matrix) => {
    const report = runReplay({ matrix: m, mechanisms: TUNED, value: 5, seed: 9, resamples: 0 });
    return Object.fromEntries(TUNED.map((name) => [name, report.mechanisms[name]!.foldParameters!]));
  };
  const clean = foldParameters(matrix);
  // The replay deals folds from its seed's 'folds' stream; fold 0's tasks are the held-out ones.
  const foldOf = crossFitFolds({ taskIds: matrix.taskIds, folds: 10, random: new Random(9).fork('folds') });
  const heldOut = matrix.taskIds.filter((_, i) => foldOf[i] === 0);

  it('records the hyper-parameter each fold chose (from the grid) when none is given', () => {
    for (const parameters of clean['cascade:learned']!) expect([0, 5, 20, 100, 500]).toContain(parameters.shrink);
    for (const parameters of clean['router:learned']!) expect([1, 10, 100, 1000]).toContain(parameters.ridge);
  });

  it("changing a fold's held-out outcomes changes nothing that fold chose (hyper-parameters and the learned order)", () => {
    const poisoned = foldParameters(poison(matrix, heldOut));
    for (const name of TUNED) expect(poisoned[name]![0], name).toEqual(clean[name]![0]);
    // …while the other folds, whose training data the poisoned tasks are, do see the change.
    const changed = TUNED.some((name) => poisoned[name]!.some((parameters, fold) => fold > 0 && JSON.stringify(parameters) !== JSON.stringify(clean[name]![fold])));
    expect(changed).toBe(true);
  });
});
