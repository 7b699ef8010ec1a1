import { sigmoid } from '../core/logistic.js';

/** Inputs of `statedProbability` for one worker on one task. */
export interface StatedProbabilityInput {
  /** The worker's true log-odds of success on the task. */
  trueLogit: number;
  /** The worker's typical log-odds (its ability θ): what a worker without resolution anchors on. */
  center: number;
  /** Shift of the stated log-odds (> 0 over-confident). */
  bias: number;
  /** Share of the deviation from the anchor the worker perceives (0 to 1). */
  resolution: number;
  /** Standard deviation of the noise in the stated log-odds. */
  noise: number;
  /** A standard-normal draw for the noise. */
  z: number;
  /** Spacing of the values the worker says, anchored on its typical p (0 = unrounded). */
  step: number;
}

/**
 * The probability a simulated worker states:
 * σ(center + bias + resolution·(trueLogit − center) + noise·z), snapped to a grid.
 * With resolution 1 and no bias, noise or rounding it equals the true probability; with
 * resolution 0 and no noise it is the same number on every task.
 *
 * The grid is anchored on the worker's typical answer σ(center + bias) rounded to 0.01, not on
 * zero: real models repeat a favourite number (GPT-5.2 said 0.62 on 64 of 93 tasks), so a
 * worker anchored at 0.62 with step 0.1 says 0.62, 0.72, 0.52...
 */
export function statedProbability(input: StatedProbabilityInput): number {
  const perceived = input.resolution * (input.trueLogit - input.center) + input.noise * input.z;
  return snapToGrid({ p: sigmoid(input.center + input.bias + perceived), anchorLogit: input.center + input.bias, step: input.step });
}

/** Options of `snapToGrid`. */
export interface SnapToGridOptions {
  /** The unrounded probability. */
  p: number;
  /** Log-odds of the worker's typical answer; the grid passes through it (rounded to 0.01). */
  anchorLogit: number;
  /** Grid spacing; 0 returns p unchanged. */
  step: number;
}

/** Snaps p to the grid anchor + k·step (k integer), clipped to [0, 1]. */
export function snapToGrid(options: SnapToGridOptions): number {
  const { p, step } = options;
  if (step <= 0) return p;
  const grid = snapGrid({ anchorLogit: options.anchorLogit, step });
  return gridValue(grid, gridIndex(grid, p));
}

/** The points a worker says: anchor + k·step for integer k, clipped to [0, 1]. */
export interface SnapGrid {
  /** The worker's typical answer σ(anchorLogit), rounded to 0.01. */
  anchor: number;
  /** Spacing (> 0). */
  step: number;
}

/** The grid through σ(anchorLogit) (rounded to 0.01) with the given spacing (> 0). */
export function snapGrid(options: { anchorLogit: number; step: number }): SnapGrid {
  return { anchor: Math.round(sigmoid(options.anchorLogit) * 100) / 100, step: options.step };
}

/**
 * Index k of the grid point nearest to p. Positional arguments on purpose: the simulation's fits
 * call this hundreds of millions of times, and an options object per call costs three times the
 * arithmetic.
 */
export function gridIndex(grid: SnapGrid, p: number): number {
  return Math.round((p - grid.anchor) / grid.step);
}

/**
 * The grid point anchor + k·step, clipped to [0, 1]. Nondecreasing in k, so equal values form
 * runs of consecutive k (which `gridAuroc` relies on).
 */
export function gridValue(grid: SnapGrid, k: number): number {
  const snapped = grid.anchor + k * grid.step;
  // Rounding to 1e-9 strips floating-point dust such as 0.6200000000000001 so equal grid points
  // compare equal.
  return Math.min(1, Math.max(0, Math.round(snapped * 1e9) / 1e9));
}
