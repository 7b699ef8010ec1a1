import { InvalidInputError } from '../core/index.js';
import type { PopulationSpec } from './population-spec.js';

/**
 * Deprecated (use `withSignalAuroc`, the knob replay shares): the population with every worker's bids made `level` informative (0 to 1): resolution becomes
 * `level` and the stated-p noise shrinks to (1 − level) of the worker's own; token forecasts
 * likewise (forecast resolution `level`, noise × (1 − level)). Level 1 with no bias states the
 * true probability and forecasts the actual tokens up to the worker's ratio; level 0 carries no
 * information about the task. Over- or under-confidence is kept: each worker's mean stated p
 * target (or its fixed bias) is left as it was, so only the information in the bids changes.
 */
export function withInformativeness(spec: PopulationSpec, level: number): PopulationSpec {
  if (!(level >= 0 && level <= 1)) {
    throw new InvalidInputError(`informativeness must be in [0, 1], got ${level}`, { field: 'informativeness' });
  }
  return {
    ...spec,
    workers: spec.workers.map((worker) => ({
      ...worker,
      // The old knob sets the resolution itself, so a target AUROC (which would refit it) is dropped.
      stated: { ...worker.stated, auroc: undefined, resolution: level, noise: worker.stated.noise * (1 - level) },
      tokens: {
        ...worker.tokens,
        forecastResolution: level,
        forecastNoise: worker.tokens.forecastNoise * (1 - level),
      },
    })),
  };
}
