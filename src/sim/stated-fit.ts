import { sigmoid } from '../core/logistic.js';
import { auroc } from '../metrics/auroc.js';
import { BiasFitter } from './bias-fit.js';
import { bisect } from './bisect.js';
import { gridAuroc } from './grid-auroc.js';
import type { StatedProbabilitySpec } from './population-spec.js';
import { gridIndex, gridValue, type SnapGrid, snapGrid } from './stated-probability.js';

/** Widest resolution the AUROC fit searches (either sign): far beyond any measured self-knowledge. */
const RESOLUTION_RANGE = 8;

/** Options of `fitStated`. */
export interface FitStatedOptions {
  /** How the worker states p (fitted: `meanP` → bias, `auroc` → resolution). */
  stated: StatedProbabilitySpec;
  /** The worker's ability θ (the anchor of its stated p). */
  ability: number;
  /** True log-odds per task. */
  trueLogits: Float64Array;
  /** Standard-normal noise draw per task. */
  statedZ: Float64Array;
  /** Outcome per task, 0 or 1. */
  outcomes: Uint8Array;
}

/** What `fitStated` returns. */
export interface FittedStated {
  /** Stated log-odds bias (fitted when the spec gives a mean p). */
  bias: number;
  /** Resolution (fitted when the spec gives an AUROC). */
  resolution: number;
  /** Stated p per task. */
  statedP: Float64Array;
}

/**
 * Fits a worker's stated p on the drawn tasks: stated p = snap(σ(θ + bias + perceived)), perceived
 * = resolution·(trueLogit − θ) + noise·z. The bias is bisected to reach the mean p; AUROC grows
 * with the resolution (the signal's share against fixed noise), so a target AUROC is reached by
 * bisection, each step with its own bias fit. Every pass is a loop over typed arrays allocated
 * once; on a grid the bias fit skips the σ of tasks whose grid point is already known
 * (`BiasFitter`) and the AUROC is counted per grid point (`gridAuroc`), so the fit is linear in
 * the tasks. Sums run in task order as before, so the fitted numbers are the same to the bit.
 */
export function fitStated(options: FitStatedOptions): FittedStated {
  const { stated, ability, trueLogits, statedZ, outcomes } = options;
  const n = trueLogits.length;
  const step = stated.step;
  const perceived = new Float64Array(n);
  const setResolution = (resolution: number) => {
    for (let j = 0; j < n; j++) perceived[j] = resolution * ((trueLogits[j] as number) - ability) + stated.noise * (statedZ[j] as number);
  };
  if (step <= 0) return fitUnrounded({ ...options, perceived, setResolution });
  // What the worker perceives of its own fit does not depend on the bias, so the bias fit only
  // shifts and re-snaps these.
  const fitter = stated.meanP === undefined ? null : new BiasFitter({ tasks: n, ability, step, target: stated.meanP });
  const fixedIndices = new Float64Array(n);
  const snapped = (): { bias: number; grid: SnapGrid; k: Float64Array } => {
    if (fitter) return fitter.fit(perceived);
    const anchorLogit = ability + stated.bias;
    const grid = snapGrid({ anchorLogit, step });
    for (let j = 0; j < n; j++) fixedIndices[j] = gridIndex(grid, sigmoid(anchorLogit + (perceived[j] as number)));
    return { bias: stated.bias, grid, k: fixedIndices };
  };
  const resolution = fitResolution(stated, (r) => {
    setResolution(r);
    const { grid, k } = snapped();
    return gridAuroc({ k, y: outcomes, grid });
  });
  setResolution(resolution);
  const { bias, grid, k } = snapped();
  const statedP = new Float64Array(n);
  for (let j = 0; j < n; j++) statedP[j] = gridValue(grid, k[j] as number);
  return { bias, resolution, statedP };
}

/** `fitStated` for a worker that states unrounded p (grid step 0). */
function fitUnrounded(
  options: FitStatedOptions & { perceived: Float64Array; setResolution: (resolution: number) => void },
): FittedStated {
  const { stated, ability, outcomes, perceived, setResolution } = options;
  const n = perceived.length;
  const statedAt = (bias: number) => Float64Array.from(perceived, (x) => sigmoid(ability + bias + x));
  const meanStated = (bias: number) => {
    const anchorLogit = ability + bias;
    let sum = 0;
    for (let j = 0; j < n; j++) sum += sigmoid(anchorLogit + (perceived[j] as number));
    return sum / n;
  };
  const fitBias = () =>
    stated.meanP === undefined ? stated.bias : bisect({ f: meanStated, target: stated.meanP, low: -30, high: 30 });
  const resolution = fitResolution(stated, (r) => {
    setResolution(r);
    return auroc({ p: statedAt(fitBias()), y: outcomes });
  });
  setResolution(resolution);
  const bias = fitBias();
  return { bias, resolution, statedP: statedAt(bias) };
}

/**
 * The spec's resolution, or, when it gives a target AUROC, the resolution whose stated p reach it
 * (bisection over ±RESOLUTION_RANGE; an undefined AUROC, as with outcomes of one class, reads 0.5).
 */
function fitResolution(stated: StatedProbabilitySpec, aurocAt: (resolution: number) => number): number {
  if (stated.auroc === undefined) return stated.resolution;
  return bisect({
    f: (r) => {
      const value = aurocAt(r);
      return Number.isNaN(value) ? 0.5 : value;
    },
    target: stated.auroc,
    low: -RESOLUTION_RANGE,
    high: RESOLUTION_RANGE,
    iterations: 40,
  });
}
