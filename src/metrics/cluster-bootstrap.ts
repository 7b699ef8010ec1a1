import type { Random } from '../core/index.js';
import { selectQuantile } from './quickselect.js';
import type { StatKernel } from './stat-kernel.js';

/** Point estimates and percentile bounds of every kernel statistic (same layout as the kernel output). */
export interface ClusterBootstrapResult {
  /** Statistics under unit weights (the original sample). */
  point: Float64Array;
  /** Lower percentile bounds (NaN when undefined in every resample or with 0 resamples). */
  lo: Float64Array;
  /** Upper percentile bounds. */
  hi: Float64Array;
}

/** Draws one cluster resample: nTasks task indices with replacement, as multiplicities. */
export function drawTaskWeights(random: Random, weights: Float64Array): void {
  const n = weights.length;
  weights.fill(0);
  for (let i = 0; i < n; i++) {
    const t = random.int(n);
    weights[t] = (weights[t] as number) + 1;
  }
}

/**
 * Task-clustered bootstrap of one or more kernels over the same task index space: each resample
 * draws nTasks tasks with replacement and keeps ALL rows of a drawn task (in every kernel), so
 * kernels built on two treatments of the same tasks are resampled in pairs. `combine` maps the
 * kernels' outputs of one resample (or of the original sample) to the reported vector; by
 * default the first kernel's output.
 */
export function clusterBootstrap(options: {
  /** Kernels sharing the task index space. */
  kernels: readonly StatKernel[];
  /** Number of tasks (clusters). */
  nTasks: number;
  /** Number of resamples (0: point estimates only). */
  resamples: number;
  /** Seeded source of the resamples. */
  random: Random;
  /** Coverage of the percentile interval, default 0.95. */
  level?: number;
  /** Maps the kernels' outputs to the reported vector (written into `into`). */
  combine?: (outputs: readonly Float64Array[], into: Float64Array) => void;
  /** Length of the reported vector; defaults to the first kernel's output length. */
  width?: number;
}): ClusterBootstrapResult {
  const { kernels, nTasks, resamples, random, level = 0.95 } = options;
  const first = kernels[0];
  if (first === undefined) throw new RangeError('clusterBootstrap needs at least one kernel');
  const width = options.width ?? first.allocate().length;
  const combine = options.combine ?? ((outputs, into) => into.set(outputs[0] as Float64Array));
  const outputs = kernels.map((kernel) => kernel.allocate());
  const weights = new Float64Array(nTasks).fill(1);
  const run = (into: Float64Array) => {
    for (let k = 0; k < kernels.length; k++) (kernels[k] as StatKernel).compute(weights, outputs[k] as Float64Array);
    combine(outputs, into);
  };
  const point = new Float64Array(width);
  run(point);
  const lo = new Float64Array(width).fill(Number.NaN);
  const hi = new Float64Array(width).fill(Number.NaN);
  if (resamples <= 0 || nTasks === 0) return { point, lo, hi };
  // Statistic-major so each statistic's replicates are one contiguous slice to sort.
  const replicates = new Float64Array(width * resamples);
  const vector = new Float64Array(width);
  for (let r = 0; r < resamples; r++) {
    drawTaskWeights(random, weights);
    run(vector);
    for (let k = 0; k < width; k++) replicates[k * resamples + r] = vector[k] as number;
  }
  const alpha = (1 - level) / 2;
  for (let k = 0; k < width; k++) {
    const slice = replicates.subarray(k * resamples, (k + 1) * resamples);
    lo[k] = selectQuantile(slice, alpha);
    hi[k] = selectQuantile(slice, 1 - alpha);
  }
  return { point, lo, hi };
}
