import { evaluateIsotonic, poolAdjacentViolators } from './isotonic.js';
import { applyPlatt, fitPlatt } from './platt.js';

/** How a calibration map is fitted. */
export type CalibrationMethod = 'isotonic' | 'platt';

/** A map from a worker's stated probability to a calibrated one. */
export interface CalibrationMap {
  /** The method fitted. */
  method: CalibrationMethod | 'identity';
  /** Rows it was fitted on. */
  rows: number;
  /** The calibrated probability of a stated p, kept within [0.01, 0.99]. */
  apply: (p: number) => number;
}

/** Fewest history rows a map is fitted on; below that the map is the identity. */
export const MIN_CALIBRATION_ROWS = 5;

const FLOOR = 0.01;

function clamp(q: number): number {
  return Math.min(1 - FLOOR, Math.max(FLOOR, q));
}

/**
 * Fits a calibration map on ONE worker's own history rows (stated p, outcome y): isotonic
 * regression (pool-adjacent-violators, linear between blocks) or Platt scaling. With fewer than
 * `MIN_CALIBRATION_ROWS` rows it returns the identity. Outputs are kept within [0.01, 0.99] so a
 * small history never yields certainty. The caller cross-fits: rows of the task being allocated
 * must not be among `p`/`y`.
 */
export function fitCalibrationMap(options: {
  /** The method. */
  method: CalibrationMethod;
  /** Stated probabilities of the worker's history rows. */
  p: ArrayLike<number>;
  /** Outcomes (0/1) of the same rows. */
  y: ArrayLike<number>;
}): CalibrationMap {
  const { method, p, y } = options;
  const rows = p.length;
  if (rows < MIN_CALIBRATION_ROWS) return { method: 'identity', rows, apply: (value) => value };
  if (method === 'platt') {
    const fit = fitPlatt({ p, y });
    return { method, rows, apply: (value) => clamp(applyPlatt(fit, value)) };
  }
  const fit = poolAdjacentViolators({ x: p, y });
  return { method, rows, apply: (value) => clamp(evaluateIsotonic(fit, value)) };
}
