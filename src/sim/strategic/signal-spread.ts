import { bisect } from '../bisect.js';

const NODES = 241;
const Z_MAX = 6;

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * AUROC of a calibrated forecast q = σ(logit(base) + sd·z), z ~ N(0, 1), against outcomes
 * y ~ Bernoulli(q): P(q of a success > q of a failure), ties ½. Computed by quadrature on an
 * even grid of z (a success at z has density φ(z)·q(z), a failure φ(z)·(1 − q(z))), so it is
 * exact to the grid's resolution and needs no random draws.
 */
export function calibratedSignalAuroc(options: {
  /** Base rate whose log-odds centre the forecasts. */
  base: number;
  /** Standard deviation of the forecasts' log-odds. */
  sd: number;
}): number {
  const centre = Math.log(options.base / (1 - options.base));
  const positives: number[] = [];
  const negatives: number[] = [];
  for (let i = 0; i < NODES; i++) {
    const z = -Z_MAX + (2 * Z_MAX * i) / (NODES - 1);
    const density = Math.exp(-0.5 * z * z);
    const q = sigmoid(centre + options.sd * z);
    positives.push(density * q);
    negatives.push(density * (1 - q));
  }
  let below = 0;
  let numerator = 0;
  let totalPositive = 0;
  for (let i = 0; i < NODES; i++) {
    const p = positives[i] as number;
    const n = negatives[i] as number;
    numerator += p * (below + 0.5 * n);
    below += n;
    totalPositive += p;
  }
  return numerator / (totalPositive * below);
}

/**
 * The log-odds spread whose calibrated forecasts reach `signalAuroc` at this base rate (0 at
 * AUROC ½; clamped at a spread of 12 for AUROCs near 1).
 */
export function spreadForAuroc(options: {
  /** Base rate of the worker. */
  base: number;
  /** Target AUROC in [0.5, 1). */
  signalAuroc: number;
}): number {
  if (options.signalAuroc <= 0.5) return 0;
  return bisect({
    f: (sd) => calibratedSignalAuroc({ base: options.base, sd }),
    target: options.signalAuroc,
    low: 0,
    high: 12,
    iterations: 40,
  });
}
