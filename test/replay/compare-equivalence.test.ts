import { describe, expect, it } from 'vitest';
import { Random } from '../../src/core/index.js';
import { percentileInterval } from '../../src/metrics/index.js';
import { compareAll, runReplay } from '../../src/replay/index.js';
import { foldHistories, historyOf } from '../../src/replay/matrix-views.js';
import { paperPreset, simulatePopulation } from '../../src/sim/index.js';
import { type History, type HistoryGrid, workerCells, workerRecords } from '../../src/mechanisms/index.js';

/**
 * The paired bootstrap as first written (before the pattern-grouped kernel): per resample, draw
 * n task indices, count them, and sum each mechanism's solved flags task by task. Kept here as
 * the reference the faster kernel must reproduce exactly.
 */
function referenceCis(vectors: Uint8Array[], resamples: number, random: Random): [number, number][] {
  const n = vectors[0]?.length ?? 0;
  const replicates = vectors.map(() => new Float64Array(resamples));
  const counts = new Int32Array(n);
  for (let r = 0; r < resamples; r++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const drawn = random.int(n);
      counts[drawn] = (counts[drawn] as number) + 1;
    }
    vectors.forEach((vector, m) => {
      let sum = 0;
      for (let i = 0; i < n; i++) if (vector[i]) sum += counts[i] as number;
      (replicates[m] as Float64Array)[r] = sum;
    });
  }
  const cis: [number, number][] = [];
  for (let i = 0; i < vectors.length; i++) {
    for (let j = i + 1; j < vectors.length; j++) {
      const differences = (replicates[i] as Float64Array).map((v, r) => v - ((replicates[j] as Float64Array)[r] as number));
      const { lo, hi } = percentileInterval(differences, 0.95);
      cis.push([lo, hi]);
    }
  }
  return cis;
}

describe('compareAll bootstrap kernel', () => {
  it('gives exactly the CIs of the task-by-task reference on the same seed', () => {
    const source = new Random(7);
    for (const [n, mechanisms] of [
      [57, 5],
      [200, 12],
      [40, 40],
    ] as const) {
      // Correlated solved flags (a few easy tasks), so patterns repeat as in a real replay.
      const vectors = Array.from({ length: mechanisms }, (_, m) =>
        Uint8Array.from({ length: n }, (_, i) => (i % 7 === 0 || source.next() < 0.3 + 0.05 * (m % 5) ? 1 : 0)),
      );
      const names = vectors.map((_, m) => `m${m}`);
      const paired = Object.fromEntries(
        names.map((name, m) => [name, { solved: vectors[m] as Uint8Array, cost: new Float64Array(n) }]),
      );
      const comparisons = compareAll({ names, vectors: paired, value: 1, resamples: 400, random: new Random(11) });
      const reference = referenceCis(vectors, 400, new Random(11));
      expect(comparisons.map((c) => c.solvedDiffCi)).toEqual(reference);
      // The CIs are real intervals around the observed difference, not all NaN or all equal.
      const widths = comparisons.map((c) => c.solvedDiffCi[1] - c.solvedDiffCi[0]);
      expect(Math.min(...widths)).toBeGreaterThan(0);
    }
  });
});

describe('foldHistories', () => {
  it('equals the per-fold historyOf of the other folds\' tasks, as before sharing', () => {
    const simulation = simulatePopulation({ spec: paperPreset, tasks: 23, random: new Random(3) });
    const { matrix } = simulation;
    const foldOf = matrix.taskIds.map((_, index) => (index * 7) % 4);
    const histories = foldHistories({ matrix, foldOf, folds: 4 });
    expect(histories).toHaveLength(4);
    for (let fold = 0; fold < 4; fold++) {
      const others = matrix.taskIds.filter((_, index) => foldOf[index] !== fold);
      const history = histories[fold] as History;
      const reference = historyOf(matrix, others);
      // Per-worker readers take the grid's path here and the cells' path on the reference.
      expect(workerRecords(history)).toEqual(workerRecords(reference));
      for (const workerId of matrix.workerIds) {
        expect(workerCells(history, workerId)).toEqual(reference.cells.filter((cell) => cell.workerId === workerId));
      }
      expect(history.workerIds).toEqual(reference.workerIds);
      expect(history.tasks).toEqual(reference.tasks);
      expect(history.blendedPrice).toEqual(reference.blendedPrice);
      expect(history.cells).toEqual(reference.cells);
      expect(history.cells).toHaveLength(others.length * matrix.workerIds.length);
      // The grid says, cell by cell, what the cells say.
      const grid = history.grid as HistoryGrid;
      const workers = matrix.workerIds.length;
      reference.cells.forEach((cell, index) => {
        const at = (grid.rows[Math.floor(index / workers)] as number) * workers + matrix.workerIds.indexOf(cell.workerId);
        expect([grid.resolved[at], grid.costUsd[at], grid.tokens[at]]).toEqual([cell.resolved ? 1 : 0, cell.costUsd, cell.tokens]);
      });
    }
  });

  it('folds share one set of cell objects, made when first read', () => {
    const { matrix } = simulatePopulation({ spec: paperPreset, tasks: 12, random: new Random(3) });
    const foldOf = matrix.taskIds.map((_, index) => index % 3);
    const histories = foldHistories({ matrix, foldOf, folds: 3 });
    const [first, second] = histories as [History, History];
    // Task 1 is in fold 1, so outside fold 0 and fold 2: both histories hold its cells.
    const cellOfTask1 = (history: History) => history.cells.find((cell) => cell.taskId === matrix.taskIds[1]);
    expect(cellOfTask1(first)).toBeDefined();
    expect(cellOfTask1(first)).toBe(cellOfTask1(histories[2] as History));
    expect(second.cells.some((cell) => cell.taskId === matrix.taskIds[1])).toBe(false);
  });
});

describe('runReplay comparisons', () => {
  it('reproduce the task-by-task bootstrap on the replay\'s own solved vectors and seed', () => {
    const { matrix } = simulatePopulation({ spec: paperPreset, tasks: 40, random: new Random(5) });
    const seed = 9;
    const report = runReplay({ matrix, resamples: 300, seed, maxAttempts: 2 });
    const names = Object.keys(report.mechanisms);
    const vectors = names.map((name) => Uint8Array.from(report.mechanisms[name]?.perTask ?? [], (task) => (task.solved ? 1 : 0)));
    // runReplay draws its resamples from the fork 'bootstrap' of the seed's root stream.
    const reference = referenceCis(vectors, 300, new Random(seed).fork('bootstrap'));
    expect(report.comparisons.map((c) => c.solvedDiffCi)).toEqual(reference);
  });
});
