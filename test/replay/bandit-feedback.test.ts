import { describe, expect, it } from 'vitest';
import { cellKey, type Matrix, Random } from '../../src/core/index.js';
import { runReplay } from '../../src/replay/index.js';
import { gridMatrix } from './matrix-fixture.js';

/** 120 tasks × 5 workers in three repositories; worker skill differs by repository. */
function world(): Matrix {
  const random = new Random(77);
  const workers = ['w0', 'w1', 'w2', 'w3', 'w4'];
  const tasks = Array.from({ length: 120 }, (_, i) => `t${i}`);
  const features: Record<string, Record<string, number | string>> = {};
  const grid = tasks.map((taskId, i) => {
    features[taskId] = { repo: `r${i % 3}` };
    return workers.map((_, w) => ({ resolved: random.bernoulli(0.2 + 0.15 * ((w + i) % 5)), cost: 0.1 * (w + 1), p: 0.5 }));
  });
  return gridMatrix({ tasks, workers, grid, features });
}

function firstWorkers(matrix: Matrix, name: string): string[] {
  const report = runReplay({ matrix, mechanisms: [name], value: 2, seed: 3, resamples: 0, feedback: 'bandit' });
  return report.mechanisms[name]!.perTask.map((task) => task.attempts.map((a) => a.workerId).join('>') || '-');
}

describe('bandit feedback', () => {
  const matrix = world();
  const NAMES = ['router:thompson', 'router:learned:ridge=10', 'cascade:learned:shrink=20', 'cascade:pair', 'cascade:learned'];

  it.each(NAMES)('%s: flipping every cell it never attempted changes none of its choices', (name) => {
    const report = runReplay({ matrix, mechanisms: [name], value: 2, seed: 3, resamples: 0, feedback: 'bandit' });
    const attempted = new Set(report.mechanisms[name]!.perTask.flatMap((task) => task.attempts.map((a) => cellKey(task.taskId, a.workerId))));
    const cells = new Map(matrix.cells);
    for (const [key, cell] of cells) if (!attempted.has(key)) cells.set(key, { ...cell, resolved: !cell.resolved });
    expect(firstWorkers({ ...matrix, cells }, name)).toEqual(firstWorkers(matrix, name));
  });

  it('router:thompson learns from what it sees: flipping the outcomes of its own early attempts changes later choices', () => {
    const name = 'router:thompson';
    const report = runReplay({ matrix, mechanisms: [name], value: 2, seed: 3, resamples: 0, feedback: 'bandit' });
    const cells = new Map(matrix.cells);
    for (const task of report.mechanisms[name]!.perTask) {
      for (const attempt of task.attempts) {
        const key = cellKey(task.taskId, attempt.workerId);
        cells.set(key, { ...cells.get(key)!, resolved: !cells.get(key)!.resolved });
      }
    }
    expect(firstWorkers({ ...matrix, cells }, name)).not.toEqual(firstWorkers(matrix, name));
  });

  it('full feedback differs from bandit feedback and says which one it used', () => {
    const full = runReplay({ matrix, mechanisms: ['router:thompson'], value: 2, seed: 3, resamples: 0 });
    const bandit = runReplay({ matrix, mechanisms: ['router:thompson'], value: 2, seed: 3, resamples: 0, feedback: 'bandit' });
    expect(full.settings.feedback).toBe('full');
    expect(bandit.settings.feedback).toBe('bandit');
    // Full feedback starts from every other task's outcomes; bandit feedback starts from nothing.
    expect(full.mechanisms['router:thompson']!.perTask).not.toEqual(bandit.mechanisms['router:thompson']!.perTask);
  });
});

describe('bandit feedback: the batch cascades explore', () => {
  /** 200 tasks × 5 workers; only w2 ever resolves; every attempt costs $0.10. */
  function oneGoodWorker(): Matrix {
    const workers = ['w0', 'w1', 'w2', 'w3', 'w4'];
    const tasks = Array.from({ length: 200 }, (_, i) => `t${i}`);
    const features: Record<string, Record<string, number | string>> = {};
    const grid = tasks.map((taskId, i) => {
      features[taskId] = { repo: `r${i % 2}` };
      return workers.map((workerId) => ({ resolved: workerId === 'w2', cost: 0.1, p: 0.5 }));
    });
    return gridMatrix({ tasks, workers, grid, features });
  }

  it.each(['cascade:pair', 'cascade:learned', 'cascade:learned:shrink=20'])('%s finds the one worker that solves from an empty history', (name) => {
    const matrix = oneGoodWorker();
    const report = runReplay({ matrix, mechanisms: [name, 'oracle'], value: 2, seed: 3, resamples: 0, feedback: 'bandit' });
    const result = report.mechanisms[name]!;
    // Only w2 resolves, so a task is solved exactly when w2 attempted it, and the oracle solves all 200.
    const triedW2 = result.perTask.filter((task) => task.attempts.some((a) => a.workerId === 'w2')).length;
    expect(report.mechanisms.oracle!.solved).toBe(200);
    expect(result.solved).toBe(triedW2);
    // A learner that does not explore solves 0; a fixed random pair solves 200·2/5 = 80 in
    // expectation. Exploring until w2 is found (refits after 1, 2, 4, 8 tasks, then every 16)
    // and keeping it afterwards solves far more.
    expect(result.solved).toBeGreaterThanOrEqual(150);
    const attempts = result.perTask.reduce((sum, task) => sum + task.attempts.length, 0);
    expect(result.actualCostUsd).toBeCloseTo(0.1 * attempts, 9);
  });
});
