import { describe, expect, it } from 'vitest';
import { cellKey, Random } from '../../src/core/index.js';
import { paperPreset, SimulatedCells, simulatePopulation } from '../../src/sim/index.js';

// Two tasks × two workers; worker w's column holds its cells in task order.
const column = (values: { p: number[]; tokens: number[]; resolved: number[]; cost: number[] }) => ({
  statedP: Float64Array.from(values.p),
  expectedTokens: Float64Array.from(values.tokens.map((t) => t / 2)),
  tokens: Float64Array.from(values.tokens),
  resolved: Uint8Array.from(values.resolved),
  costUsd: Float64Array.from(values.cost),
});
const cells = new SimulatedCells({
  taskIds: ['t1', 't2'],
  workerIds: ['a', 'b'],
  columns: [
    column({ p: [0.1, 0.3], tokens: [100, 300], resolved: [1, 0], cost: [1, 3] }),
    column({ p: [0.2, 0.4], tokens: [200, 400], resolved: [0, 1], cost: [2, 4] }),
  ],
});

describe('SimulatedCells', () => {
  it('reads worker w, task t from column w at t', () => {
    expect(cells.get(cellKey('t2', 'a'))).toEqual({ taskId: 't2', workerId: 'a', p: 0.3, expectedTokens: 150, ask: null, resolved: false, costUsd: 3, tokens: 300 });
    expect(cells.get(cellKey('t1', 'b'))).toEqual({ taskId: 't1', workerId: 'b', p: 0.2, expectedTokens: 100, ask: null, resolved: false, costUsd: 2, tokens: 200 });
    expect(cells.get(cellKey('t3', 'a'))).toBeUndefined();
    expect(cells.get(cellKey('t1', 'c'))).toBeUndefined();
    expect(cells.get('t1')).toBeUndefined();
    expect(cells.has(cellKey('t2', 'b'))).toBe(true);
    expect(cells.size).toBe(4);
  });

  it('iterates task-major by every method, and refuses writes', () => {
    const keys = [cellKey('t1', 'a'), cellKey('t1', 'b'), cellKey('t2', 'a'), cellKey('t2', 'b')];
    expect([...cells.keys()]).toEqual(keys);
    expect([...cells].map(([key, cell]) => [key, cell.p])).toEqual(keys.map((key, i) => [key, [0.1, 0.2, 0.3, 0.4][i]]));
    expect([...cells.values()].map((cell) => cell.resolved)).toEqual([true, false, false, true]);
    const seen: string[] = [];
    cells.forEach((_cell, key) => {
      seen.push(key);
    });
    expect(seen).toEqual(keys);
    expect(() => cells.set(keys[0]!, cells.get(keys[0]!)!)).toThrow(/read-only/);
    expect(() => cells.delete(keys[0]!)).toThrow(/read-only/);
  });

  it("holds the simulation's cells: each matrix cell is its simulated cell's stated p, outcome, tokens and cost", () => {
    const simulation = simulatePopulation({ spec: paperPreset, tasks: 30, random: new Random(8) });
    expect(simulation.matrix.cells.size).toBe(30 * 6);
    for (const [key, cell] of simulation.matrix.cells) {
      const truth = simulation.cells.get(key)!;
      expect(cell).toEqual({
        taskId: truth.taskId,
        workerId: truth.workerId,
        p: truth.statedP,
        expectedTokens: truth.expectedTokens,
        ask: null,
        resolved: truth.resolved,
        costUsd: truth.costUsd,
        tokens: truth.tokens,
      });
    }
  });
});
