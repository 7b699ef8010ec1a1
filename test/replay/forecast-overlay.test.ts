import { describe, expect, it } from 'vitest';
import { cellKey } from '../../src/core/index.js';
import { ForecastOverlayCells } from '../../src/replay/forecast-overlay.js';
import { gridMatrix, no, ok } from './matrix-fixture.js';

// Two tasks × two workers; forecast columns are laid out task-major: index = task · 2 + worker.
const base = gridMatrix({
  tasks: ['t1', 't2'],
  workers: ['a', 'b'],
  grid: [
    [ok(1, 0.5, 100), no(2, 0.6, 200)],
    [no(3, 0.7, 300), ok(4, 0.8, 400)],
  ],
});
const columns = { taskIds: base.taskIds, workerIds: base.workerIds, p: Float64Array.of(0.1, 0.2, 0.3, 0.4), expectedTokens: null };

describe('ForecastOverlayCells', () => {
  const cells = new ForecastOverlayCells(base.cells, columns);

  it('reads each cell with its synthesized p at task · workers + worker, keeping every other field', () => {
    expect(cells.get(cellKey('t2', 'a'))).toEqual({ taskId: 't2', workerId: 'a', p: 0.3, expectedTokens: 300, ask: null, resolved: false, costUsd: 3, tokens: null });
    expect(cells.get(cellKey('t1', 'b'))?.p).toBe(0.2);
    expect(cells.get(cellKey('t3', 'a'))).toBeUndefined();
    expect(cells.has(cellKey('t2', 'b'))).toBe(true);
    expect(cells.size).toBe(4);
  });

  it("iterates in the base map's order with the same keys, by every iteration method", () => {
    const expected = [
      [cellKey('t1', 'a'), 0.1],
      [cellKey('t1', 'b'), 0.2],
      [cellKey('t2', 'a'), 0.3],
      [cellKey('t2', 'b'), 0.4],
    ];
    expect([...cells].map(([key, cell]) => [key, cell.p])).toEqual(expected);
    expect([...cells.entries()].map(([key, cell]) => [key, cell.p])).toEqual(expected);
    expect([...cells.keys()]).toEqual(expected.map(([key]) => key));
    expect([...cells.values()].map((cell) => cell.p)).toEqual(expected.map(([, p]) => p));
    const seen: unknown[] = [];
    cells.forEach((cell, key) => {
      seen.push([key, cell.p]);
    });
    expect(seen).toEqual(expected);
  });

  it('keeps the base values of a column given as null, and refuses writes', () => {
    expect(cells.get(cellKey('t2', 'b'))?.expectedTokens).toBe(400);
    expect(() => cells.set(cellKey('t1', 'a'), base.cells.get(cellKey('t1', 'a'))!)).toThrow(/read-only/);
    expect(() => cells.delete(cellKey('t1', 'a'))).toThrow(/read-only/);
    expect(() => cells.clear()).toThrow(/read-only/);
    // The base map is untouched.
    expect(base.cells.get(cellKey('t2', 'a'))?.p).toBe(0.7);
  });
});
