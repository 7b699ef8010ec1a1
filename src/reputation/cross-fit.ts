import type { Random } from '../core/index.js';
import { type CalibrationMethod, fitCalibrationMap } from './calibration-map.js';

/**
 * Out-of-fold calibrated probabilities for one worker's rows: the rows' tasks are dealt into
 * `folds` groups (seeded shuffle of the distinct task ids), and each row is calibrated by a map
 * fitted on the rows of the other groups only. A task's own outcome therefore never moves its own
 * calibrated probability. Returns values aligned with the input rows.
 */
export function crossFitCalibrated(options: {
  /** Task of each row (rows of the same task share a fold). */
  taskIds: readonly string[];
  /** Stated probabilities. */
  p: ArrayLike<number>;
  /** Outcomes 0/1. */
  y: ArrayLike<number>;
  /** The calibration method. */
  method: CalibrationMethod;
  /** Number of folds (default 10; capped at the number of distinct tasks). */
  folds?: number;
  /** Seeded randomness for the fold assignment. */
  random: Random;
}): number[] {
  const { taskIds, p, y, method, random } = options;
  const distinct = [...new Set(taskIds)];
  const folds = Math.max(1, Math.min(options.folds ?? 10, distinct.length));
  const foldOf = new Map<string, number>();
  random.shuffle(distinct).forEach((taskId, position) => {
    foldOf.set(taskId, position % folds);
  });
  const out = new Array<number>(taskIds.length).fill(Number.NaN);
  for (let fold = 0; fold < folds; fold++) {
    const trainP: number[] = [];
    const trainY: number[] = [];
    taskIds.forEach((taskId, i) => {
      if (foldOf.get(taskId) !== fold) {
        trainP.push(p[i] as number);
        trainY.push(y[i] as number);
      }
    });
    const map = fitCalibrationMap({ method, p: trainP, y: trainY });
    taskIds.forEach((taskId, i) => {
      if (foldOf.get(taskId) === fold) out[i] = map.apply(p[i] as number);
    });
  }
  return out;
}
