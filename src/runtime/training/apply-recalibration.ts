import { InvalidInputError } from '../../core/errors.js';
import { applyCalibrationMapFile, type CalibrationMapFile } from '../../reputation/index.js';
import { putRecalibration, recalibrations } from '../store/recalibration-rows.js';
import { resolve } from 'node:path';
import { Store } from '../store/store.js';
import { brier, ece } from '../../metrics/index.js';

/** A one-line description of a map, stored with every recalibrated p. */
export function describeMap(map: CalibrationMapFile): string {
  return `${map.method}, ${map.rows} rows (${map.positives} resolved, ${map.tasks} tasks) from ${map.source}`;
}

/** Refuses maps whose worker is not in the run, or two maps for one worker, before anything is paid. */
export function checkMapsForWorkers(maps: readonly CalibrationMapFile[], workerIds: readonly string[]): void {
  const seen = new Set<string>();
  for (const map of maps) {
    if (!workerIds.includes(map.workerId)) {
      throw new InvalidInputError(`--recalibrate: the map is for worker '${map.workerId}', which is not among ${workerIds.join(', ')}`, {
        field: '--recalibrate',
      });
    }
    if (seen.has(map.workerId)) throw new InvalidInputError(`--recalibrate: two maps for worker '${map.workerId}'`, { field: '--recalibrate' });
    seen.add(map.workerId);
  }
}

/**
 * Stores, beside each valid forecast of the run by a mapped worker, its stated p passed through
 * that worker's map; the forecasts themselves are not touched. Returns counts per worker.
 */
export function recordRecalibrations(options: {
  /** The store. */
  store: Store;
  /** The run whose forecasts are recalibrated. */
  runId: string;
  /** One map per worker. */
  maps: readonly CalibrationMapFile[];
  /** Timestamp of the rows. */
  createdAt: string;
}): Record<string, number> {
  const counts: Record<string, number> = {};
  const byWorker = new Map(options.maps.map((map) => [map.workerId, map]));
  options.store.transaction(() => {
    for (const forecast of options.store.getForecasts({ runId: options.runId })) {
      const map = byWorker.get(forecast.workerId);
      if (!map || !forecast.valid || forecast.pSuccess === null) continue;
      putRecalibration(options.store, {
        jobKey: forecast.jobKey,
        runId: options.runId,
        workerId: forecast.workerId,
        pRaw: forecast.pSuccess,
        pRecalibrated: applyCalibrationMapFile(map, forecast.pSuccess),
        map: describeMap(map),
        createdAt: options.createdAt,
      });
      counts[forecast.workerId] = (counts[forecast.workerId] ?? 0) + 1;
    }
  });
  return counts;
}

/** Raw against recalibrated calibration of one worker's labelled forecasts. */
export interface RecalibrationComparison {
  /** The worker. */
  workerId: string;
  /** Labelled forecasts with a recalibrated p. */
  n: number;
  /** Brier score of the raw p. */
  brierRaw: number;
  /** Brier score of the recalibrated p. */
  brierRecalibrated: number;
  /** ECE of the raw p. */
  eceRaw: number;
  /** ECE of the recalibrated p. */
  eceRecalibrated: number;
}

/**
 * Per worker, the Brier score and ECE of the raw and of the recalibrated p on the forecasts that
 * have both and an outcome (the same worker's attempt on the task, its own run's first).
 */
export function compareRecalibrations(store: Store, filter: { runId?: string } = {}): RecalibrationComparison[] {
  const rows = recalibrations(store, filter);
  if (rows.length === 0) return [];
  const attempts = store.getAttempts();
  const outcome = (runId: string, taskId: string, workerId: string) => {
    const mine = attempts.filter((a) => a.taskId === taskId && a.workerId === workerId);
    const own = mine.filter((a) => a.runId === runId);
    const pool = own.length > 0 ? own : mine;
    return pool.sort((a, b) => a.round - b.round)[0];
  };
  const byWorker = new Map<string, { raw: number[]; recalibrated: number[]; y: number[] }>();
  for (const row of rows) {
    const attempt = outcome(row.runId, row.taskId, row.workerId);
    if (!attempt) continue;
    const entry = byWorker.get(row.workerId) ?? { raw: [], recalibrated: [], y: [] };
    entry.raw.push(row.pRaw);
    entry.recalibrated.push(row.pRecalibrated);
    entry.y.push(attempt.outcome.resolved ? 1 : 0);
    byWorker.set(row.workerId, entry);
  }
  return [...byWorker.entries()].map(([workerId, e]) => ({
    workerId,
    n: e.y.length,
    brierRaw: brier({ p: e.raw, y: e.y }),
    brierRecalibrated: brier({ p: e.recalibrated, y: e.y }),
    eceRaw: ece({ p: e.raw, y: e.y }),
    eceRecalibrated: ece({ p: e.recalibrated, y: e.y }),
  }));
}

/** Raw-versus-recalibrated rows of a store file for `analyze --db` (empty when none were recorded). */
export function recalibrationRowsOfStore(options: {
  /** Working directory. */
  cwd: string;
  /** Store file. */
  dbFile: string;
  /** One run (default every run). */
  runId?: string | undefined;
}): RecalibrationComparison[] {
  const store = Store.open(resolve(options.cwd, options.dbFile));
  try {
    return compareRecalibrations(store, options.runId === undefined ? {} : { runId: options.runId });
  } finally {
    store.close();
  }
}
