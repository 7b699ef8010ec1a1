import type { TaskView } from './types.js';

/** Turns a task's pre-attempt features into a numeric vector. */
export interface FeatureEncoder {
  /** Names of the vector's entries. */
  names: string[];
  /** The encoded vector of a task. */
  encode: (task: TaskView) => number[];
}

/** Feature keys never used for allocation: anything derived from the gold patch. */
function forbidden(key: string): boolean {
  return key.toLowerCase().startsWith('gold');
}

/**
 * Fits an encoder on the history's tasks: each numeric feature becomes log(1 + max(0, v)),
 * standardized by the history's mean and standard deviation; each string feature becomes one
 * indicator per value seen on at least `minCount` history tasks (rarer values share the all-zero
 * code). Keys starting with `gold` (reference-solution features) are never used.
 */
export function fitFeatureEncoder(tasks: readonly TaskView[], minCount = 3): FeatureEncoder {
  const numeric = new Set<string>();
  const categories = new Map<string, Map<string, number>>();
  for (const task of tasks) {
    for (const [key, value] of Object.entries(task.features)) {
      if (forbidden(key)) continue;
      if (typeof value === 'number') numeric.add(key);
      else {
        const counts = categories.get(key) ?? new Map<string, number>();
        counts.set(value, (counts.get(value) ?? 0) + 1);
        categories.set(key, counts);
      }
    }
  }
  const numericKeys = [...numeric].sort();
  const scale = numericKeys.map((key) => {
    const values = tasks.map((task) => transform(task.features[key]));
    const mean = values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
    const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / Math.max(1, values.length);
    return { key, mean, sd: Math.sqrt(variance) || 1 };
  });
  const indicators: { key: string; value: string }[] = [];
  for (const key of [...categories.keys()].sort()) {
    const counts = categories.get(key) as Map<string, number>;
    for (const value of [...counts.keys()].sort()) {
      if ((counts.get(value) as number) >= minCount) indicators.push({ key, value });
    }
  }
  return {
    names: [...scale.map((entry) => entry.key), ...indicators.map((entry) => `${entry.key}=${entry.value}`)],
    // One array per call, filled in place: the router encodes a task every round.
    encode: (task) => {
      const vector = new Array<number>(scale.length + indicators.length);
      scale.forEach((entry, i) => {
        vector[i] = (transform(task.features[entry.key]) - entry.mean) / entry.sd;
      });
      indicators.forEach((entry, i) => {
        vector[scale.length + i] = task.features[entry.key] === entry.value ? 1 : 0;
      });
      return vector;
    },
  };
}

function transform(value: number | string | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.log1p(Math.max(0, value)) : 0;
}
