import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/index.js';
import { crossFitFolds, foldCountOf, runReplay } from '../../src/replay/index.js';
import { gridMatrix } from './matrix-fixture.js';

describe('foldCountOf', () => {
  it('is the largest fold + 1, also for assignments too long to spread into Math.max', () => {
    const taskIds = Array.from({ length: 300_000 }, (_, i) => `t${i}`);
    expect(foldCountOf(crossFitFolds({ taskIds, folds: 10, random: new Random(2) }))).toBe(10);
    const assignment = new Int32Array(500_000);
    assignment[499_999] = 6;
    expect(foldCountOf(assignment)).toBe(7);
    expect(foldCountOf([])).toBe(0);
  });
});

describe('runReplay onMechanismEnd', () => {
  it('is called once per mechanism, in replay order, before the report returns', () => {
    const cell = (resolved: boolean, cost: number) => ({ resolved, cost, p: resolved ? 0.8 : 0.3, expectedTokens: 1000 });
    const matrix = gridMatrix({
      tasks: ['t1', 't2', 't3'],
      workers: ['a', 'b'],
      grid: [
        [cell(true, 1), cell(false, 2)],
        [cell(false, 1), cell(true, 2)],
        [cell(true, 1), cell(true, 2)],
      ],
    });
    const ended: string[] = [];
    const report = runReplay({ matrix, mechanisms: ['oracle', 'solo:b', 'solo:a'], resamples: 0, onMechanismEnd: (name) => ended.push(name) });
    expect(ended).toEqual(['oracle', 'solo:b', 'solo:a']);
    expect(Object.keys(report.mechanisms).sort()).toEqual(['oracle', 'solo:a', 'solo:b']);
  });
});
