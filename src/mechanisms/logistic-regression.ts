import { sigmoid } from '../core/index.js';
/** A fitted logistic regression P(y = 1 | x) = σ(intercept + coef·x). */
export interface LogisticModel {
  /** Intercept (not penalized). */
  intercept: number;
  /** Coefficients, one per feature. */
  coef: number[];
}

/** P(y = 1 | x) under a fitted model. */
export function predictLogistic(model: LogisticModel, x: readonly number[]): number {
  let z = model.intercept;
  for (let j = 0; j < model.coef.length; j++) z += (model.coef[j] as number) * (x[j] as number);
  return sigmoid(z);
}

/** Feature rows as one typed array: row i's features are data[i·columns, (i + 1)·columns). */
export interface DesignMatrix {
  /** The features, row-major. */
  data: Float64Array;
  /** Number of rows. */
  rows: number;
  /** Features per row. */
  columns: number;
}

/**
 * Solves A·v = b for a small symmetric positive-definite A by Gaussian elimination with pivoting.
 * `system` holds the augmented rows [A | b] (row i at i·(n + 1)) and is overwritten; rows are
 * swapped through `order` instead of copied. Returns false when A is singular.
 */
function solve(system: Float64Array, n: number, order: Int32Array, v: Float64Array): boolean {
  const width = n + 1;
  for (let row = 0; row < n; row++) order[row] = row * width;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) {
      if (Math.abs(system[(order[row] as number) + col] as number) > Math.abs(system[(order[pivot] as number) + col] as number)) pivot = row;
    }
    if (Math.abs(system[(order[pivot] as number) + col] as number) < 1e-12) return false;
    const swapped = order[col] as number;
    order[col] = order[pivot] as number;
    order[pivot] = swapped;
    const top = order[col] as number;
    for (let row = col + 1; row < n; row++) {
      const current = order[row] as number;
      const factor = (system[current + col] as number) / (system[top + col] as number);
      for (let k = col; k <= n; k++) system[current + k] = (system[current + k] as number) - factor * (system[top + k] as number);
    }
  }
  for (let row = n - 1; row >= 0; row--) {
    const current = order[row] as number;
    let sum = system[current + n] as number;
    for (let k = row + 1; k < n; k++) sum -= (system[current + k] as number) * (v[k] as number);
    v[row] = sum / (system[current + row] as number);
  }
  return true;
}

/** The non-zero entries of each row (compressed sparse rows), in column order. */
interface SparseRows {
  start: Int32Array;
  column: Int32Array;
  value: Float64Array;
}

/** Sparse forms of typed design matrices, so fits of one design at several ridges convert it once. */
const converted = new WeakMap<DesignMatrix, { rows: SparseRows; n: number; d: number }>();

function sparseRows(x: readonly (readonly number[])[] | DesignMatrix): { rows: SparseRows; n: number; d: number } {
  if (!Array.isArray(x)) {
    const design = x as DesignMatrix;
    let sparse = converted.get(design);
    if (!sparse) {
      sparse = toSparse(design);
      converted.set(design, sparse);
    }
    return sparse;
  }
  return toSparse(x);
}

function toSparse(x: readonly (readonly number[])[] | DesignMatrix): { rows: SparseRows; n: number; d: number } {
  const dense = !Array.isArray(x);
  const n = dense ? (x as DesignMatrix).rows : x.length;
  const d = dense ? (x as DesignMatrix).columns : n > 0 ? ((x as readonly (readonly number[])[])[0] as readonly number[]).length : 0;
  const at = dense
    ? (i: number, j: number) => (x as DesignMatrix).data[i * d + j] as number
    : (i: number, j: number) => ((x as readonly (readonly number[])[])[i] as readonly number[])[j] as number;
  let nonZero = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) if (at(i, j) !== 0) nonZero++;
  const rows: SparseRows = { start: new Int32Array(n + 1), column: new Int32Array(nonZero), value: new Float64Array(nonZero) };
  let next = 0;
  for (let i = 0; i < n; i++) {
    rows.start[i] = next;
    for (let j = 0; j < d; j++) {
      const v = at(i, j);
      if (v === 0) continue;
      rows.column[next] = j;
      rows.value[next] = v;
      next++;
    }
  }
  rows.start[n] = next;
  return { rows, n, d };
}

/**
 * Ridge-penalized logistic regression fitted by Newton's method (IRLS): minimizes the negative
 * log-likelihood plus ridge·|coef|² (the intercept is not penalized). Meant for a few dozen
 * standardized features; a single-class sample gives the intercept of its smoothed rate.
 * Each pass visits only a row's non-zero features (one-hot codes are mostly zeros); a zero term
 * adds exactly 0 to every sum, so the fit is the same, to the last digit, as the dense one.
 */
export function fitLogistic(options: {
  /** Feature rows, as arrays or one typed design matrix. */
  x: readonly (readonly number[])[] | DesignMatrix;
  /** Outcomes 0/1. */
  y: ArrayLike<number>;
  /** Ridge strength (default 1). */
  ridge?: number;
}): LogisticModel {
  const { y, ridge = 1 } = options;
  const { rows, n, d } = sparseRows(options.x);
  const { start, column, value } = rows;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i] as number;
  const rate = (positives + 1) / (n + 2);
  const beta = new Float64Array(d + 1);
  beta[0] = Math.log(rate / (1 - rate));
  const size = d + 1;
  // One gradient, Hessian and solver buffer for every Newton step (the fit is run thousands of
  // times under bandit feedback; fresh arrays per step cost more than the arithmetic).
  const gradient = new Float64Array(size);
  const hessian = new Float64Array(size * size);
  const width = size + 1;
  const system = new Float64Array(size * width);
  const order = new Int32Array(size);
  const step = new Float64Array(size);
  for (let iteration = 0; iteration < 25; iteration++) {
    gradient.fill(0);
    hessian.fill(0);
    for (let j = 1; j <= d; j++) {
      gradient[j] = 2 * ridge * (beta[j] as number);
      hessian[j * size + j] = 2 * ridge;
    }
    for (let i = 0; i < n; i++) {
      const from = start[i] as number;
      const to = start[i + 1] as number;
      let z = beta[0] as number;
      for (let e = from; e < to; e++) z += (beta[(column[e] as number) + 1] as number) * (value[e] as number);
      const q = sigmoid(z);
      const r = q - (y[i] as number);
      const w = Math.max(q * (1 - q), 1e-9);
      gradient[0] = (gradient[0] as number) + r;
      for (let e = from; e < to; e++) gradient[(column[e] as number) + 1] = (gradient[(column[e] as number) + 1] as number) + r * (value[e] as number);
      // The same products as the dense (w·x_j)·x_k, with x_0 = 1 for the intercept (row 0 of the Hessian).
      hessian[0] = (hessian[0] as number) + w * 1 * 1;
      for (let e = from; e < to; e++) hessian[(column[e] as number) + 1] = (hessian[(column[e] as number) + 1] as number) + w * 1 * (value[e] as number);
      for (let a = from; a < to; a++) {
        const xj = value[a] as number;
        const hj = ((column[a] as number) + 1) * size;
        for (let b = a; b < to; b++) {
          const k = hj + (column[b] as number) + 1;
          hessian[k] = (hessian[k] as number) + w * xj * (value[b] as number);
        }
      }
    }
    for (let j = 0; j <= d; j++) for (let k = 0; k < j; k++) hessian[j * size + k] = hessian[k * size + j] as number;
    // A tiny jitter on the intercept keeps a one-class sample solvable.
    hessian[0] = (hessian[0] as number) + 1e-6;
    for (let j = 0; j < size; j++) {
      system.set(hessian.subarray(j * size, (j + 1) * size), j * width);
      system[j * width + size] = gradient[j] as number;
    }
    if (!solve(system, size, order, step)) break;
    let change = 0;
    for (let j = 0; j <= d; j++) {
      beta[j] = (beta[j] as number) - (step[j] as number);
      change += Math.abs(step[j] as number);
    }
    if (change < 1e-8) break;
  }
  return { intercept: beta[0] as number, coef: Array.from(beta.subarray(1)) };
}
