import { cellKey, logit, type Matrix, type MatrixCell, type Random, sigmoid } from '../core/index.js';
import { cellTokens } from './cell-tokens.js';

/** Logit of the largest synthesized probability: a fully informed worker says 0.99 or 0.01. */
const CERTAIN_LOGIT = Math.log(0.99 / 0.01);

/** True when at least one cell has a stated probability. */
export function hasProbabilityForecasts(matrix: Matrix): boolean {
  for (const cell of matrix.cells.values()) if (cell.p !== null) return true;
  return false;
}

/** True when at least one cell has stated tokens. */
export function hasTokenForecasts(matrix: Matrix): boolean {
  for (const cell of matrix.cells.values()) if (cell.expectedTokens !== null) return true;
  return false;
}

/**
 * Fills in forecasts for a matrix that has outcomes but no forecasts, with a stated
 * informativeness I ∈ [0, 1]. For worker w on task t with outcome y and actual tokens T:
 *
 *   p = σ((1 − I)·logit(b) + I·(2y − 1)·logit(0.99) + ε),   ε ~ N(0, (2·√(I(1−I)))²)
 *   T̂ = exp((1 − I)·ln m + I·ln T + η),                       η ~ N(0, (√(I(1−I)))²)
 *
 * where b = (resolved + 1)/(tasks + 2) is w's smoothed pass rate and m its mean actual tokens,
 * both over ALL tasks, hence one number per worker. (A leave-one-out rate would differ between
 * tasks in a way that encodes each task's own outcome, which a calibration map fitted on other
 * tasks would learn to read back; a per-worker constant tells nothing about any one task.)
 * I = 0 gives every worker its base rate and its mean token count (so e is unbiased for its mean
 * cost); I = 1 a worker that knows its outcome (p = 0.99 or 0.01) and its tokens; the noise
 * vanishes at both ends and is largest at I = ½. Draws come from `random.fork` per cell, so a
 * cell's forecast does not depend on other cells' draws. Probabilities are filled only when the
 * matrix has none, tokens only when it has none; existing forecasts are kept.
 */
export function synthesizeForecasts(options: {
  /** The matrix (not modified). */
  matrix: Matrix;
  /** How much each forecast knows about its own outcome, in [0, 1]. */
  informativeness: number;
  /** Seeded randomness. */
  random: Random;
}): Matrix {
  const { matrix, informativeness: level, random } = options;
  if (!(level >= 0 && level <= 1)) throw new RangeError(`informativeness must be in [0, 1], got ${level}`);
  const fillP = !hasProbabilityForecasts(matrix);
  const fillTokens = !hasTokenForecasts(matrix);
  if (!fillP && !fillTokens) return matrix;
  const pNoise = 2 * Math.sqrt(level * (1 - level));
  const tokenNoise = Math.sqrt(level * (1 - level));
  const cells = new Map<string, MatrixCell>();
  for (const workerId of matrix.workerIds) {
    let resolvedTotal = 0;
    let tokensTotal = 0;
    for (const taskId of matrix.taskIds) {
      const cell = matrix.cells.get(cellKey(taskId, workerId)) as MatrixCell;
      if (cell.resolved) resolvedTotal++;
      tokensTotal += cellTokens(cell, matrix);
    }
    const base = (resolvedTotal + 1) / (matrix.taskIds.length + 2);
    const logMeanTokens = Math.log(Math.max(1, tokensTotal / matrix.taskIds.length));
    for (const taskId of matrix.taskIds) {
      const key = cellKey(taskId, workerId);
      const cell = matrix.cells.get(key) as MatrixCell;
      const draw = random.fork(`forecast/${taskId}/${workerId}`);
      const epsilon = draw.normal(0, 1);
      const eta = draw.normal(0, 1);
      const sign = cell.resolved ? 1 : -1;
      const p = fillP ? sigmoid((1 - level) * logit(base) + level * sign * CERTAIN_LOGIT + pNoise * epsilon) : cell.p;
      const logTokens = Math.log(Math.max(1, cellTokens(cell, matrix)));
      const expectedTokens = fillTokens
        ? Math.exp((1 - level) * logMeanTokens + level * logTokens + tokenNoise * eta)
        : cell.expectedTokens;
      cells.set(key, { ...cell, p, expectedTokens });
    }
  }
  return { ...matrix, cells };
}
