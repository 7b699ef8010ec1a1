import { cellKey, InvalidInputError, logit, type Matrix, type MatrixCell, type Random, sigmoid } from '../core/index.js';
import { auroc } from '../metrics/auroc.js';
import { normalCdf, normalQuantile } from '../metrics/normal-quantile.js';
import { cellTokens } from './cell-tokens.js';
import { foldCountOf } from './folds.js';
import { ForecastOverlayCells } from './forecast-overlay.js';

/**
 * Mean within-worker AUROC of the paper's six models' stated p (DESIGN §7: 0.697, 0.672, 0.603,
 * 0.611, 0.446, 0.528; mean 0.593): the default signal quality on real matrices, so synthesized
 * bids are as informative as measured self-reports, not near-oracles.
 */
export const PAPER_MEAN_AUROC = 0.59;

/** Target within-worker AUROC: one number for every worker, or per worker with a default. */
export interface SignalAurocSpec {
  /** AUROC for workers not listed. */
  default: number;
  /** Per-worker overrides. */
  perWorker?: Record<string, number>;
}

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
 * Parses `0.6` or `0.6,gpt-5.2=0.45,claude=0.7` (a default and per-worker targets; a list of only
 * `worker=x` items keeps `fallback` as the default). Every value must lie in (0, 1).
 */
export function parseSignalAuroc(text: string, fallback: number, field = 'signalAuroc'): SignalAurocSpec {
  const spec: SignalAurocSpec = { default: fallback };
  const perWorker: Record<string, number> = {};
  for (const part of text.split(',').map((item) => item.trim()).filter((item) => item !== '')) {
    const equals = part.lastIndexOf('=');
    const raw = equals > 0 ? part.slice(equals + 1) : part;
    const value = Number(raw);
    if (!(Number.isFinite(value) && value > 0 && value < 1)) {
      throw new InvalidInputError(`'${part}' is not an AUROC in (0, 1); expected 0.6 or worker=0.6`, { field });
    }
    if (equals > 0) perWorker[part.slice(0, equals)] = value;
    else spec.default = value;
  }
  return Object.keys(perWorker).length > 0 ? { ...spec, perWorker } : spec;
}

/**
 * Fills in forecasts for a matrix that has outcomes but no forecasts, at a stated within-worker
 * AUROC A (the quality people measure) and a calibration bias β on the logit scale.
 *
 * For worker w on task t with outcome y: a signal s = d·y + ε, ε ~ N(0, 1), d = √2·Φ⁻¹(A), has
 * AUROC Φ(d/√2) = A exactly, and the stated probability is
 *
 *   p = σ(logit(b) + β + |d|·s − |d|·d/2)
 *
 * which for A ≥ ½ is the Bayes posterior given s and the prior b (calibrated when β = 0), and for
 * A < ½ its mirror image (as confident, pointing the wrong way). A = ½ states b on every task.
 * Stated tokens are m, the worker's mean actual tokens.
 *
 * b = (resolved + 1)/(tasks + 2) and m come from the OTHER folds' tasks only (`foldOf`, the
 * replay's cross-fitting folds; leave-one-out would make b differ between tasks in a way that
 * encodes each task's own outcome). Draws come from `random.fork` per cell, so a cell's forecast
 * does not depend on other cells. Probabilities are filled only when the matrix has none, tokens
 * only when it has none; existing forecasts are kept. The returned matrix's cells are a read-only
 * view over the input's (`ForecastOverlayCells`): the input must not change while it is in use.
 */
export function synthesizeForecasts(options: {
  /** The matrix (not modified). */
  matrix: Matrix;
  /** Target within-worker AUROC. */
  signalAuroc: SignalAurocSpec;
  /** Calibration bias added to the stated log-odds (> 0 over-confident); default 0. */
  bias?: number;
  /** Cross-fitting fold of each task, aligned with `matrix.taskIds` (base rates come from the other folds). */
  foldOf: readonly number[];
  /** Seeded randomness. */
  random: Random;
}): Matrix {
  const { matrix, random, foldOf } = options;
  const bias = options.bias ?? 0;
  const fillP = !hasProbabilityForecasts(matrix);
  const fillTokens = !hasTokenForecasts(matrix);
  if (!fillP && !fillTokens) return matrix;
  const foldCount = Math.max(1, foldCountOf(foldOf));
  const workers = matrix.workerIds.length;
  const cellCount = matrix.taskIds.length * workers;
  const pColumn = fillP ? new Float64Array(cellCount) : null;
  const tokensColumn = fillTokens ? new Float64Array(cellCount) : null;
  matrix.workerIds.forEach((workerId, w) => {
    const target = options.signalAuroc.perWorker?.[workerId] ?? options.signalAuroc.default;
    if (!(target > 0 && target < 1)) throw new RangeError(`signalAuroc must be in (0, 1), got ${target}`);
    const d = Math.SQRT2 * normalQuantile(target);
    const resolvedBy = new Float64Array(foldCount);
    const tokensBy = new Float64Array(foldCount);
    const tasksBy = new Float64Array(foldCount);
    matrix.taskIds.forEach((taskId, index) => {
      const cell = matrix.cells.get(cellKey(taskId, workerId)) as MatrixCell;
      const fold = foldOf[index] as number;
      tasksBy[fold] = (tasksBy[fold] as number) + 1;
      if (cell.resolved) resolvedBy[fold] = (resolvedBy[fold] as number) + 1;
      tokensBy[fold] = (tokensBy[fold] as number) + cellTokens(cell, matrix);
    });
    const sum = (values: Float64Array) => values.reduce((total, x) => total + x, 0);
    const [allResolved, allTokens, allTasks] = [sum(resolvedBy), sum(tokensBy), sum(tasksBy)];
    matrix.taskIds.forEach((taskId, index) => {
      const cell = matrix.cells.get(cellKey(taskId, workerId)) as MatrixCell;
      const fold = foldOf[index] as number;
      const others = allTasks - (tasksBy[fold] as number);
      const base = (allResolved - (resolvedBy[fold] as number) + 1) / (others + 2);
      const meanTokens = others > 0 ? (allTokens - (tokensBy[fold] as number)) / others : 1;
      const draw = random.fork(`forecast/${taskId}/${workerId}`);
      const signal = d * (cell.resolved ? 1 : 0) + draw.normal(0, 1);
      if (pColumn) pColumn[index * workers + w] = sigmoid(logit(base) + bias + Math.abs(d) * signal - (Math.abs(d) * d) / 2);
      if (tokensColumn) tokensColumn[index * workers + w] = Math.max(1, meanTokens);
    });
  });
  const cells = new ForecastOverlayCells(matrix.cells, { taskIds: matrix.taskIds, workerIds: matrix.workerIds, p: pColumn, expectedTokens: tokensColumn });
  return { ...matrix, cells };
}

/**
 * Realized quality of a matrix's stated probabilities: the mean over workers of the within-worker
 * AUROC (workers whose outcomes are all one class are left out) and the Brier score over every
 * cell with a p. NaN when nothing qualifies.
 */
export function forecastQuality(matrix: Matrix): { auroc: number; brier: number } {
  let squared = 0;
  let rows = 0;
  let aurocSum = 0;
  let aurocWorkers = 0;
  for (const workerId of matrix.workerIds) {
    const p: number[] = [];
    const y: number[] = [];
    for (const taskId of matrix.taskIds) {
      const cell = matrix.cells.get(cellKey(taskId, workerId));
      if (!cell || cell.p === null) continue;
      p.push(cell.p);
      y.push(cell.resolved ? 1 : 0);
      squared += (cell.p - (cell.resolved ? 1 : 0)) ** 2;
      rows++;
    }
    const value = auroc({ p, y });
    if (!Number.isNaN(value)) {
      aurocSum += value;
      aurocWorkers++;
    }
  }
  return { auroc: aurocWorkers > 0 ? aurocSum / aurocWorkers : Number.NaN, brier: rows > 0 ? squared / rows : Number.NaN };
}

/**
 * The within-worker AUROC the former `informativeness` knob I produced (kept for the deprecated
 * `--informativeness` alias): its stated log-odds moved by I·logit(0.99)·(2y − 1) with noise of
 * sd 2·√(I(1−I)), so AUROC = Φ(2·I·logit(0.99) / (√2 · 2·√(I(1−I)))). I = 0 → 0.5, 0.01 → 0.63,
 * 0.25 → 0.97; capped at 0.999 (I = 1 was a perfect oracle).
 */
export function aurocOfInformativeness(level: number): number {
  if (!(level >= 0 && level <= 1)) throw new RangeError(`informativeness must be in [0, 1], got ${level}`);
  if (level === 0) return 0.5;
  if (level === 1) return 0.999;
  const separation = (2 * level * Math.log(99)) / (Math.SQRT2 * 2 * Math.sqrt(level * (1 - level)));
  return Math.min(0.999, normalCdf(separation));
}
