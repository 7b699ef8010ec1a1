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
  const NAMES = ['router:thompson', 'router:learned:ridge=10', 'cascade:learned:shrink=20'];

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
