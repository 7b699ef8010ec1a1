import { describe, expect, it } from 'vitest';
import { cellKey, type Matrix, Random } from '../../src/core/index.js';
import { paperPreset, simulatePopulation } from '../../src/sim/index.js';
import { pairwiseAuroc } from '../support/pairwise-auroc.js';

// The table of DESIGN.md §7 (the paper's published Phase I aggregates), copied from the design,
// not from the preset, so a typo in either shows up here.
const design = [
  { worker: 'claude-opus-4.5', passRate: 0.806, meanP: 0.765, ratio: 0.41, price: 1.5e-5, auroc: 0.697 },
  { worker: 'claude-sonnet-4.5', passRate: 0.774, meanP: 0.758, ratio: 0.25, price: 9.0e-6, auroc: 0.672 },
  { worker: 'gemini-3-pro', passRate: 0.806, meanP: 0.929, ratio: 0.025, price: 7.0e-6, auroc: 0.603 },
  { worker: 'gpt-5-mini', passRate: 0.753, meanP: 0.614, ratio: 0.11, price: 1.125e-6, auroc: 0.611 },
  { worker: 'gpt-5.2', passRate: 0.806, meanP: 0.632, ratio: 0.14, price: 7.875e-6, auroc: 0.446 },
  { worker: 'gpt-5.2-pro', passRate: 0.796, meanP: 0.663, ratio: 0.91, price: 9.45e-5, auroc: 0.528 },
];

/** Plain loops over the matrix, independent of the sim's own aggregate code. */
function aggregatesOf(matrix: Matrix, workerId: string) {
  let resolved = 0;
  let pSum = 0;
  const ratios: number[] = [];
  for (const taskId of matrix.taskIds) {
    const cell = matrix.cells.get(cellKey(taskId, workerId))!;
    if (cell.resolved) resolved++;
    pSum += cell.p!;
    ratios.push(cell.expectedTokens! / cell.tokens!);
  }
  ratios.sort((a, b) => a - b);
  const n = matrix.taskIds.length;
  const medianRatio = (ratios[n / 2 - 1]! + ratios[n / 2]!) / 2; // n is even here
  return { passRate: resolved / n, meanP: pSum / n, medianRatio };
}

describe('paper preset', () => {
  const simulation = simulatePopulation({ spec: paperPreset, tasks: 2000, random: new Random(1) });
  const { matrix } = simulation;

  it('has the six workers of the design table with their blended prices', () => {
    expect(matrix.workerIds).toEqual(design.map((row) => row.worker));
    for (const row of design) expect(matrix.blendedPrice[row.worker]).toBeCloseTo(row.price, 12);
  });

  it.each(design)('matches the published aggregates of $worker at 2,000 tasks', (row) => {
    const got = aggregatesOf(matrix, row.worker);
    expect(Math.abs(got.passRate - row.passRate)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(got.meanP - row.meanP)).toBeLessThanOrEqual(0.02);
    expect(got.medianRatio).toBeGreaterThanOrEqual(row.ratio * 0.75);
    expect(got.medianRatio).toBeLessThanOrEqual(row.ratio * 1.25);
  });

  it.each(design)("matches $worker's paper AUROC within ±0.03 at 2,000 tasks (GPT-5.2 below ½ included)", (row) => {
    const cells = matrix.taskIds.map((taskId) => matrix.cells.get(cellKey(taskId, row.worker))!);
    const value = pairwiseAuroc(
      cells.map((cell) => cell.p!),
      cells.map((cell) => cell.resolved),
    );
    expect(Math.abs(value - row.auroc)).toBeLessThanOrEqual(0.03);
  });

  it('prices every attempt at its tokens times the blended price (input and output split evenly)', () => {
    for (const cell of matrix.cells.values()) {
      const worker = simulation.workers.find((w) => w.id === cell.workerId)!;
      // An odd total puts one more token on the input side: the cost may differ from
      // tokens × blended by at most half the gap between the two prices.
      const slack = Math.abs(worker.pricing.outputPerToken - worker.pricing.inputPerToken) / 2 + 1e-12;
      expect(Math.abs(cell.costUsd - cell.tokens! * matrix.blendedPrice[cell.workerId]!)).toBeLessThanOrEqual(slack);
    }
  });

  it('puts difficulty only in task metadata, never in the public features', () => {
    for (const task of simulation.tasks) {
      expect(Object.keys(task.features).sort()).toEqual(['failToPassTests', 'repo', 'statementChars']);
      expect(typeof task.metadata.difficulty).toBe('number');
    }
  });
});
