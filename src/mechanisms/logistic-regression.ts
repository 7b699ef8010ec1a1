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

/** Solves A·v = b for a small symmetric positive-definite A by Gaussian elimination with pivoting. */
function solve(matrix: number[][], rhs: number[]): number[] | undefined {
  const n = rhs.length;
  const a = matrix.map((row, i) => [...row, rhs[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) {
      if (Math.abs((a[row] as number[])[col] as number) > Math.abs((a[pivot] as number[])[col] as number)) pivot = row;
    }
    if (Math.abs((a[pivot] as number[])[col] as number) < 1e-12) return undefined;
    [a[col], a[pivot]] = [a[pivot] as number[], a[col] as number[]];
    const top = a[col] as number[];
    for (let row = col + 1; row < n; row++) {
      const current = a[row] as number[];
      const factor = (current[col] as number) / (top[col] as number);
      for (let k = col; k <= n; k++) current[k] = (current[k] as number) - factor * (top[k] as number);
    }
  }
  const v = new Array<number>(n).fill(0);
  for (let row = n - 1; row >= 0; row--) {
    const current = a[row] as number[];
    let sum = current[n] as number;
    for (let k = row + 1; k < n; k++) sum -= (current[k] as number) * (v[k] as number);
    v[row] = sum / (current[row] as number);
  }
  return v;
}

/**
 * Ridge-penalized logistic regression fitted by Newton's method (IRLS): minimizes the negative
 * log-likelihood plus ridge·|coef|² (the intercept is not penalized). Meant for a few dozen
 * standardized features; a single-class sample gives the intercept of its smoothed rate.
 */
export function fitLogistic(options: {
  /** Feature rows. */
  x: readonly (readonly number[])[];
  /** Outcomes 0/1. */
  y: ArrayLike<number>;
  /** Ridge strength (default 1). */
  ridge?: number;
}): LogisticModel {
  const { x, y, ridge = 1 } = options;
  const n = x.length;
  const d = n > 0 ? (x[0] as readonly number[]).length : 0;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += y[i] as number;
  const rate = (positives + 1) / (n + 2);
  const beta = new Array<number>(d + 1).fill(0);
  beta[0] = Math.log(rate / (1 - rate));
  for (let iteration = 0; iteration < 25; iteration++) {
    const gradient = new Array<number>(d + 1).fill(0);
    const hessian = Array.from({ length: d + 1 }, () => new Array<number>(d + 1).fill(0));
    for (let j = 1; j <= d; j++) {
      gradient[j] = 2 * ridge * (beta[j] as number);
      (hessian[j] as number[])[j] = 2 * ridge;
    }
    for (let i = 0; i < n; i++) {
      const row = x[i] as readonly number[];
      let z = beta[0] as number;
      for (let j = 0; j < d; j++) z += (beta[j + 1] as number) * (row[j] as number);
      const q = sigmoid(z);
      const r = q - (y[i] as number);
      const w = Math.max(q * (1 - q), 1e-9);
      gradient[0] = (gradient[0] as number) + r;
      for (let j = 0; j < d; j++) gradient[j + 1] = (gradient[j + 1] as number) + r * (row[j] as number);
      for (let j = 0; j <= d; j++) {
        const xj = j === 0 ? 1 : (row[j - 1] as number);
        const hj = hessian[j] as number[];
        for (let k = j; k <= d; k++) {
          const xk = k === 0 ? 1 : (row[k - 1] as number);
          hj[k] = (hj[k] as number) + w * xj * xk;
        }
      }
    }
    for (let j = 0; j <= d; j++) for (let k = 0; k < j; k++) (hessian[j] as number[])[k] = (hessian[k] as number[])[j] as number;
    // A tiny jitter on the intercept keeps a one-class sample solvable.
    (hessian[0] as number[])[0] = ((hessian[0] as number[])[0] as number) + 1e-6;
    const step = solve(hessian, gradient);
    if (!step) break;
    let change = 0;
    for (let j = 0; j <= d; j++) {
      beta[j] = (beta[j] as number) - (step[j] as number);
      change += Math.abs(step[j] as number);
    }
    if (change < 1e-8) break;
  }
  return { intercept: beta[0] as number, coef: beta.slice(1) };
}
