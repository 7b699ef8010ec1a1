import { z } from 'zod';
import type { RunKind } from '../../core/run.js';
import { forecastFromRow } from './domain-rows.js';
import type { SqlRow } from './row-codec.js';
import type { Store } from './store.js';

/** A stored forecast with the request that produced it and the raw response. */
export interface ForecastWithRequest {
  /** The forecast's run. */
  runId: string;
  /** Its job key. */
  jobKey: string;
  /** Kind of the forecast's run. */
  runKind: RunKind | null;
  /** The task. */
  taskId: string;
  /** The worker. */
  workerId: string;
  /** The treatment. */
  treatment: string;
  /** Stated p (null when invalid). */
  pSuccess: number | null;
  /** Stated tokens. */
  expectedTokens: number | null;
  /** Whether the reply parsed. */
  valid: boolean;
  /** The reply's text. */
  rawText: string | null;
  /** The request body exactly as stored (already redacted when it was written); null when none was stored. */
  request: unknown;
}

const StoredJson = z.string().transform((text, context) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    context.addIssue({ code: 'custom', message: 'not JSON' });
    return z.NEVER;
  }
});

/**
 * Every forecast of the store (or of one run) with its stored request body, oldest run first; a
 * request column that holds no JSON reads as null (and the export reports the row as having none).
 */
export function forecastsWithRequests(store: Store, filter: { runId?: string } = {}): ForecastWithRequest[] {
  const rows = store
    .prepare(
      `SELECT f.*, r.kind AS run_kind FROM forecasts f LEFT JOIN runs r ON r.id = f.run_id
       WHERE (@runId IS NULL OR f.run_id = @runId) ORDER BY f.run_id, f.task_id, f.worker_id, f.treatment, f.repeat`,
    )
    .all({ runId: filter.runId ?? null }) as SqlRow[];
  return rows.map((row) => {
    const forecast = forecastFromRow(row);
    const parsed = row.request === null ? undefined : StoredJson.safeParse(String(row.request));
    let request: unknown = parsed?.success ? parsed.data : null;
    // Providers that keep the body as JSON text store it as a JSON string: unwrap it once.
    if (typeof request === 'string') {
      const inner = StoredJson.safeParse(request);
      if (inner.success) request = inner.data;
    }
    return {
      runId: forecast.runId,
      jobKey: forecast.jobKey,
      runKind: row.run_kind === null || row.run_kind === undefined ? null : (String(row.run_kind) as RunKind),
      taskId: forecast.taskId,
      workerId: forecast.workerId,
      treatment: forecast.treatment,
      pSuccess: forecast.pSuccess,
      expectedTokens: forecast.expectedTokens,
      valid: forecast.valid,
      rawText: forecast.rawText,
      request: request ?? null,
    };
  });
}

/** The kind of every run in the store, by id. */
export function runKinds(store: Store): Map<string, RunKind> {
  return new Map(store.listRuns().map((run) => [run.id, run.kind]));
}
