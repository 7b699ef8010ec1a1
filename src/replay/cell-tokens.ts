import type { Matrix, MatrixCell } from '../core/index.js';

/**
 * Actual tokens of a cell: recorded tokens, else cost / blended price (§5: T = c / π when only
 * the cost is known), else 0 when the worker has no price.
 */
export function cellTokens(cell: MatrixCell, matrix: Pick<Matrix, 'blendedPrice'>): number {
  if (cell.tokens !== null) return cell.tokens;
  const price = matrix.blendedPrice[cell.workerId];
  return price !== undefined && price > 0 ? cell.costUsd / price : 0;
}
