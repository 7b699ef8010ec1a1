import { z } from 'zod';
import { type CalibrationMethod, MIN_CALIBRATION_ROWS } from './calibration-map.js';
import { evaluateIsotonic, poolAdjacentViolators } from './isotonic.js';
import { applyPlatt, fitPlatt } from './platt.js';

/** Fewest labelled rows `recalibrate` fits a map on (below it: no map, and a message saying why). */
export const MIN_RECALIBRATION_ROWS = 20;

// The same floor as `fitCalibrationMap`: a map never states certainty.
const FLOOR = 0.01;

/** A worker's calibration map as a file (`marketbench recalibrate` writes it, `--recalibrate` reads it). */
export const CalibrationMapFileSchema = z.object({
  /** Marks the file's kind. */
  format: z.literal('marketbench-calibration-map'),
  /** File version. */
  version: z.literal(1),
  /** The worker whose stated p the map corrects. */
  workerId: z.string().min(1),
  /** Isotonic (pool-adjacent-violators) or Platt. */
  method: z.enum(['isotonic', 'platt']),
  /** Labelled rows it was fitted on. */
  rows: z.number().int().positive(),
  /** Of which resolved. */
  positives: z.number().int().nonnegative(),
  /** Distinct tasks among the rows. */
  tasks: z.number().int().positive(),
  /** Where the rows came from (store file and run, for the record). */
  source: z.string(),
  /** The fit: block centres and values (isotonic), or slope and intercept on logit p (Platt). */
  fit: z.union([
    z.object({ x: z.array(z.number()).min(1), y: z.array(z.number().min(0).max(1)).min(1) }),
    z.object({ a: z.number(), b: z.number() }),
  ]),
});

/** A worker's calibration map as a file. */
export type CalibrationMapFile = z.infer<typeof CalibrationMapFileSchema>;

/** A map, or why none was fitted. */
export type CalibrationMapFit = { map: CalibrationMapFile; error?: undefined } | { map?: undefined; error: string };

/** Fits a worker's calibration map for a file; fewer than `minRows` labelled rows give no map. */
export function fitCalibrationMapFile(options: {
  /** The worker. */
  workerId: string;
  /** The method. */
  method: CalibrationMethod;
  /** Task of each labelled row. */
  taskIds: readonly string[];
  /** Stated p of each row. */
  p: readonly number[];
  /** Outcome of each row. */
  y: readonly number[];
  /** Where the rows came from. */
  source: string;
  /** Fewest rows (default `MIN_RECALIBRATION_ROWS`; never below the maps' own minimum). */
  minRows?: number;
}): CalibrationMapFit {
  const minRows = Math.max(MIN_CALIBRATION_ROWS, options.minRows ?? MIN_RECALIBRATION_ROWS);
  const rows = options.p.length;
  if (rows < minRows) {
    return {
      error: `worker '${options.workerId}' has ${rows} labelled row(s) with a stated p; a calibration map needs at least ${minRows} — no map written`,
    };
  }
  const fit =
    options.method === 'platt'
      ? fitPlatt({ p: options.p, y: options.y })
      : poolAdjacentViolators({ x: options.p, y: options.y });
  return {
    map: {
      format: 'marketbench-calibration-map',
      version: 1,
      workerId: options.workerId,
      method: options.method,
      rows,
      positives: options.y.filter((v) => v === 1).length,
      tasks: new Set(options.taskIds).size,
      source: options.source,
      fit,
    },
  };
}

/** The recalibrated probability of a stated p under a map file, kept within [0.01, 0.99]. */
export function applyCalibrationMapFile(map: CalibrationMapFile, p: number): number {
  const value = 'a' in map.fit ? applyPlatt(map.fit, p) : evaluateIsotonic(map.fit, p);
  return Math.min(1 - FLOOR, Math.max(FLOOR, value));
}
