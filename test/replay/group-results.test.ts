import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/core/index.js';
import { groupResults, runReplay } from '../../src/replay/index.js';
import { gridMatrix } from './matrix-fixture.js';

describe('replay results by group', () => {
  // Repo a: t0 (w0 solves, $1), t1 (w0 fails, $2); repo b: t2 (w0 solves, $4); t3 has no repo (w0 fails, $8).
  const tasks = ['t0', 't1', 't2', 't3'];
  const solves = [true, false, true, false];
  const costs = [1, 2, 4, 8];
  const matrix = gridMatrix({
    tasks,
    workers: ['w0', 'w1'],
    grid: tasks.map((_, i) => [
      { resolved: solves[i]!, cost: costs[i]!, p: 0.5 },
      { resolved: false, cost: 0.5, p: 0.5 },
    ]),
    features: { t0: { repo: 'a' }, t1: { repo: 'a' }, t2: { repo: 'b' }, t3: {} },
  });

  it('splits solved, actual cost and welfare by repository as worked out by hand', () => {
    const report = runReplay({ matrix, mechanisms: ['solo:w0'], value: 10, maxAttempts: 1, resamples: 0, folds: 2, foldSeeds: 1 });
    const grouped = groupResults({ report, matrix, feature: 'repo' });
    expect(Object.keys(grouped.groups)).toEqual(['a', '(none)', 'b']);
    expect(grouped.groups.a!['solo:w0']).toEqual({ n: 2, solved: 1, actualCostUsd: 3, welfare: 10 - 3 });
    expect(grouped.groups.b!['solo:w0']).toEqual({ n: 1, solved: 1, actualCostUsd: 4, welfare: 10 - 4 });
    expect(grouped.groups['(none)']!['solo:w0']).toEqual({ n: 1, solved: 0, actualCostUsd: 8, welfare: -8 });
    // The groups add up to the overall figures.
    const overall = report.mechanisms['solo:w0']!;
    expect(overall.solved).toBe(2);
    expect(overall.welfare).toBeCloseTo(20 - 15, 9);
  });

  it('names a feature no task has', () => {
    const report = runReplay({ matrix, mechanisms: ['solo:w0'], value: 10, resamples: 0, folds: 2, foldSeeds: 1 });
    expect(() => groupResults({ report, matrix, feature: 'language' })).toThrow(InvalidInputError);
    expect(() => groupResults({ report, matrix, feature: 'language' })).toThrow(/language/);
  });
});
