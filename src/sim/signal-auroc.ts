import { InvalidInputError } from '../core/index.js';
import type { PopulationSpec } from './population-spec.js';

/**
 * The population with every worker's stated p set to reach a target within-worker AUROC (one
 * number, or per worker with a default): each worker's resolution is then fitted on the simulated
 * tasks (see `StatedProbabilitySpecSchema.auroc`). Noise, rounding, mean stated p (or bias) and
 * token forecasts are kept, so only how well the stated p sorts successes from failures changes.
 * This is the same knob as replay's `signalAuroc`.
 */
export function withSignalAuroc(spec: PopulationSpec, target: number | { default: number; perWorker?: Record<string, number> }): PopulationSpec {
  const spec_ = typeof target === 'number' ? { default: target } : target;
  return {
    ...spec,
    workers: spec.workers.map((worker) => {
      const value = spec_.perWorker?.[worker.id] ?? spec_.default;
      if (!(value > 0 && value < 1)) {
        throw new InvalidInputError(`signal AUROC must be in (0, 1), got ${value}`, { field: 'signalAuroc' });
      }
      return { ...worker, stated: { ...worker.stated, auroc: value } };
    }),
  };
}
