import type { SqlRow } from './row-codec.js';
import type { Store } from './store.js';

/** A recalibrated probability stored beside a forecast's raw one. */
export interface RecalibrationRow {
  /** The forecast's job key. */
  jobKey: string;
  /** The forecast's run. */
  runId: string;
  /** The task. */
  taskId: string;
  /** The worker. */
  workerId: string;
  /** The treatment. */
  treatment: string;
  /** The stated p, as stored in the forecast. */
  pRaw: number;
  /** The stated p passed through the worker's calibration map. */
  pRecalibrated: number;
  /** Method and fit counts of the map, e.g. `isotonic, 120 rows from old.db`. */
  map: string;
}

/** Stores a recalibrated p beside a forecast (the forecast row itself is never changed). */
export function putRecalibration(store: Store, row: Omit<RecalibrationRow, 'taskId' | 'treatment'> & { createdAt: string }): void {
  store
    .prepare(
      `INSERT OR REPLACE INTO recalibrations (job_key, run_id, worker_id, p_raw, p_recalibrated, map, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(row.jobKey, row.runId, row.workerId, row.pRaw, row.pRecalibrated, row.map, row.createdAt);
}

/** Recalibrations with their forecasts' task and treatment, optionally of one run. */
export function recalibrations(store: Store, filter: { runId?: string } = {}): RecalibrationRow[] {
  const rows = store
    .prepare(
      `SELECT r.*, f.task_id, f.treatment FROM recalibrations r JOIN forecasts f ON f.job_key = r.job_key
       WHERE (@runId IS NULL OR r.run_id = @runId) ORDER BY r.run_id, f.task_id, r.worker_id, f.treatment`,
    )
    .all({ runId: filter.runId ?? null }) as SqlRow[];
  return rows.map((row) => ({
    jobKey: String(row.job_key),
    runId: String(row.run_id),
    taskId: String(row.task_id),
    workerId: String(row.worker_id),
    treatment: String(row.treatment),
    pRaw: Number(row.p_raw),
    pRecalibrated: Number(row.p_recalibrated),
    map: String(row.map),
  }));
}
