import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { InvalidInputError } from '../../core/errors.js';
import {
  type CalibrationMapFile,
  CalibrationMapFileSchema,
  type CalibrationMapFit,
  type CalibrationMethod,
  fitCalibrationMapFile,
} from '../../reputation/index.js';
import { labeledForecasts } from '../store/joins.js';
import type { Store } from '../store/store.js';

/**
 * Fits one worker's calibration map on its labelled forecasts in the store (valid stated p joined
 * with its own attempt on the task) and writes it as JSON, whole or not at all. With fewer rows
 * than the minimum nothing is written and the result carries the message.
 */
export function recalibrateWorker(options: {
  /** The open store. */
  store: Store;
  /** Its file name (recorded in the map). */
  storeFile: string;
  /** The worker. */
  workerId: string;
  /** Only this run's forecasts (default every run). */
  runId?: string;
  /** Isotonic or Platt. */
  method: CalibrationMethod;
  /** Fewest labelled rows. */
  minRows?: number;
  /** Where to write the map. */
  outFile: string;
}): CalibrationMapFit {
  const rows = labeledForecasts(options.store, options.runId === undefined ? {} : { runId: options.runId }).filter(
    (row) => row.workerId === options.workerId,
  );
  const fit = fitCalibrationMapFile({
    workerId: options.workerId,
    method: options.method,
    taskIds: rows.map((row) => row.taskId),
    p: rows.map((row) => row.p),
    y: rows.map((row) => row.y),
    source: `${basename(options.storeFile)}${options.runId === undefined ? '' : ` run ${options.runId}`}`,
    ...(options.minRows === undefined ? {} : { minRows: options.minRows }),
  });
  if (fit.map) {
    const temporary = `${options.outFile}.tmp-${process.pid}`;
    try {
      writeFileSync(temporary, `${JSON.stringify(fit.map, null, 2)}\n`);
      renameSync(temporary, options.outFile);
    } finally {
      rmSync(temporary, { force: true });
    }
  }
  return fit;
}

/** Reads a calibration map file, naming the file and field when it is not one. */
export function readCalibrationMapFile(file: string): CalibrationMapFile {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InvalidInputError(`${file}: not a JSON calibration map (${error instanceof Error ? error.message : String(error)})`, { file });
  }
  const parsed = CalibrationMapFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InvalidInputError(`${file}: field '${issue.path.join('.') || '(root)'}': ${issue.message}`, {
      file,
      field: issue.path.join('.'),
    });
  }
  return parsed.data;
}
