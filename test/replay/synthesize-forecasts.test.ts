import { describe, expect, it } from 'vitest';
import { cellKey, Random } from '../../src/core/index.js';
import { synthesizeForecasts } from '../../src/replay/index.js';
import { gridMatrix, no, ok } from './matrix-fixture.js';

// Worker a resolves 3 of 4 tasks; costs 1, 2, 3, 6 → tokens 1e6·cost (price 1e-6), mean 3e6.
const matrix = gridMatrix({
  tasks: ['t1', 't2', 't3', 't4'],
  workers: ['a'],
  grid: [[ok(1)], [ok(2)], [ok(3)], [no(6)]],
});

describe('synthesized forecasts', () => {
  it('informativeness 0: every task gets the smoothed base rate (3 + 1)/(4 + 2) and the mean tokens', () => {
    const filled = synthesizeForecasts({ matrix, informativeness: 0, random: new Random(1) });
    for (const taskId of matrix.taskIds) {
      const cell = filled.cells.get(cellKey(taskId, 'a'))!;
      expect(cell.p).toBeCloseTo(4 / 6, 12);
      expect(cell.expectedTokens).toBeCloseTo(3e6, 3);
    }
  });

  it('informativeness 1: p = 0.99 on resolved tasks, 0.01 on failed ones, and the actual tokens', () => {
    const filled = synthesizeForecasts({ matrix, informativeness: 1, random: new Random(1) });
    expect(matrix.taskIds.map((t) => filled.cells.get(cellKey(t, 'a'))!.p)).toEqual([0.99, 0.99, 0.99, 0.01].map((p) => expect.closeTo(p, 12)));
    expect(filled.cells.get(cellKey('t4', 'a'))!.expectedTokens).toBeCloseTo(6e6, 3);
  });

  it('is seeded, and keeps forecasts a matrix already has', () => {
    const a = synthesizeForecasts({ matrix, informativeness: 0.5, random: new Random(4) });
    const b = synthesizeForecasts({ matrix, informativeness: 0.5, random: new Random(4) });
    expect([...a.cells.values()]).toEqual([...b.cells.values()]);
    const stated = gridMatrix({ tasks: ['t1'], workers: ['a'], grid: [[ok(1, 0.3, 50)]] });
    expect(synthesizeForecasts({ matrix: stated, informativeness: 1, random: new Random(4) })).toBe(stated);
  });
});
