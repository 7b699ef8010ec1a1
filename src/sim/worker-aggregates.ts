import { cellKey, type Matrix } from '../core/index.js';
import { auroc } from '../metrics/auroc.js';
import { median } from './median.js';

/** Per-worker aggregates of a matrix: the figures the `paper` preset is fitted to, and more. */
export interface WorkerAggregate {
  /** The worker. */
  workerId: string;
  /** Tasks with a cell for this worker. */
  tasks: number;
  /** Share of tasks resolved. */
  passRate: number;
  /** Mean stated p over cells with a valid p. */
  meanP: number;
  /** Distinct stated p values. */
  distinctP: number;
  /** AUROC of stated p for the outcome (NaN when all or none resolved). */
  auroc: number;
  /** Median of stated ÷ actual tokens over cells with both. */
  medianTokenRatio: number;
  /** Median actual tokens per attempt. */
  medianTokens: number;
  /** Mean cost of an attempt, USD. */
  meanCostUsd: number;
  /** Blended USD price per token. */
  blendedPrice: number;
}

/** Per-worker aggregates of every worker in the matrix, in its worker order. */
export function workerAggregates(matrix: Matrix): WorkerAggregate[] {
  return matrix.workerIds.map((workerId) => {
    const cells = matrix.taskIds.flatMap((taskId) => matrix.cells.get(cellKey(taskId, workerId)) ?? []);
    const stated = cells.filter((cell) => cell.p !== null);
    const ratios = cells.flatMap((cell) =>
      cell.expectedTokens !== null && cell.tokens !== null && cell.tokens > 0 ? [cell.expectedTokens / cell.tokens] : [],
    );
    const tokens = cells.flatMap((cell) => (cell.tokens === null ? [] : [cell.tokens]));
    const cost = cells.reduce((sum, cell) => sum + cell.costUsd, 0);
    return {
      workerId,
      tasks: cells.length,
      passRate: cells.filter((cell) => cell.resolved).length / cells.length,
      meanP: stated.reduce((sum, cell) => sum + (cell.p as number), 0) / stated.length,
      distinctP: new Set(stated.map((cell) => cell.p)).size,
      auroc: auroc({ p: stated.map((cell) => cell.p as number), y: stated.map((cell) => (cell.resolved ? 1 : 0)) }),
      medianTokenRatio: ratios.length > 0 ? median(ratios) : Number.NaN,
      medianTokens: tokens.length > 0 ? median(tokens) : Number.NaN,
      meanCostUsd: cost / cells.length,
      blendedPrice: matrix.blendedPrice[workerId] ?? Number.NaN,
    };
  });
}
