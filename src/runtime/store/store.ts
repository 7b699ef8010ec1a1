import type Database from 'better-sqlite3';
import type { Allocation } from '../../core/allocation.js';
import type { Attempt } from '../../core/attempt.js';
import type { Forecast } from '../../core/forecast.js';
import type { Run, RunKind } from '../../core/run.js';
import type { Task } from '../../core/task.js';
import type { Worker } from '../../core/worker.js';
import { openDatabase, type SqliteDatabase } from './open-database.js';
import type { LabeledForecast } from '../../core/labeled-forecast.js';
import type { Matrix } from '../../core/matrix.js';
import { labeledForecasts, storeMatrix } from './joins.js';
import { attemptFromRow, forecastFromRow, jobFromRow, runFromRow, type StoredJob, taskFromRow, workerFromRow } from './domain-rows.js';
import { json, parseJson, type SqlRow } from './row-codec.js';

/** Status of a unit of paid work in the job ledger. */
export type JobStatus = StoredJob['status'];

/** Options of `Store.open`. */
export interface StoreOptions {
  /** Clock for timestamps (ISO-8601); injectable so tests can compare stores. */
  now?: () => string;
  /** Migrate only up to this version (tests of older schemas). */
  targetVersion?: number;
}

/**
 * The SQLite store: one file per project. Every write is idempotent on its natural key, so a
 * resumed run rewrites rather than duplicates; paid work goes through the job ledger.
 */
export class Store {
  /** The underlying connection (for exports and advanced queries). */
  readonly db: SqliteDatabase;
  /** Path of the store file. */
  readonly file: string;
  private readonly now: () => string;
  private readonly statements = new Map<string, Database.Statement<unknown[], unknown>>();

  private constructor(file: string, db: SqliteDatabase, now: () => string) {
    this.file = file;
    this.db = db;
    this.now = now;
  }

  /** Opens or creates a store file, migrating an older schema. */
  static open(file: string, options: StoreOptions = {}): Store {
    const db = openDatabase(file, { targetVersion: options.targetVersion });
    return new Store(file, db, options.now ?? (() => new Date().toISOString()));
  }

  /** A prepared statement, compiled once per connection (hot paths write a row per paid call). */
  prepare(sql: string): Database.Statement<unknown[], unknown> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Closes the connection (checkpointing the WAL). */
  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Runs `work` in one transaction. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }

  /** Creates a run and returns it. Ids default to `<kind>-<timestamp>`. */
  createRun(input: {
    kind: RunKind;
    id?: string;
    seed?: number | null;
    config?: Record<string, unknown>;
    note?: string | null;
    createdAt?: string;
  }): Run {
    const createdAt = input.createdAt ?? this.now();
    const run: Run = {
      id: input.id ?? `${input.kind}-${createdAt.replace(/[-:.]/g, '').replace('T', '-').slice(0, 15)}`,
      kind: input.kind,
      createdAt,
      status: 'running',
      seed: input.seed ?? null,
      config: input.config ?? {},
      note: input.note ?? null,
    };
    this.prepare(
        `INSERT INTO runs (id, kind, created_at, status, seed, config, note) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = 'running', config = excluded.config`,
      )
      .run(run.id, run.kind, run.createdAt, run.status, run.seed, JSON.stringify(run.config), run.note);
    return this.getRun(run.id) as Run;
  }

  /** A run by id. */
  getRun(id: string): Run | undefined {
    const row = this.prepare('SELECT * FROM runs WHERE id = ?').get(id) as SqlRow | undefined;
    return row ? runFromRow(row) : undefined;
  }

  /** Every run, oldest first. */
  listRuns(): Run[] {
    return (this.prepare('SELECT * FROM runs ORDER BY created_at, id').all() as SqlRow[]).map(runFromRow);
  }

  /** The newest run, optionally of one kind. */
  latestRun(kind?: RunKind): Run | undefined {
    const runs = this.listRuns().filter((run) => kind === undefined || run.kind === kind);
    return runs[runs.length - 1];
  }

  /** Sets a run's status. */
  setRunStatus(id: string, status: Run['status']): void {
    this.prepare('UPDATE runs SET status = ? WHERE id = ?').run(status, id);
  }

  /** Inserts or replaces tasks by id. */
  upsertTasks(tasks: readonly Task[]): void {
    const statement = this.prepare(
      `INSERT OR REPLACE INTO tasks (id, suite, title, repo, base_commit, statement, tests, features, metadata)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.transaction(() => {
      for (const task of tasks) {
        statement.run(
          task.id,
          task.suite,
          task.title ?? null,
          task.repo ?? null,
          task.baseCommit ?? null,
          task.statement,
          JSON.stringify(task.tests),
          JSON.stringify(task.features),
          JSON.stringify(task.metadata),
        );
      }
    });
  }

  /** Tasks by id (all when `ids` is omitted), in id order. */
  getTasks(ids?: readonly string[]): Task[] {
    const rows = this.prepare('SELECT * FROM tasks ORDER BY id').all() as SqlRow[];
    const wanted = ids ? new Set(ids) : undefined;
    return rows.filter((row) => !wanted || wanted.has(String(row.id))).map(taskFromRow);
  }

  /** Inserts or replaces workers by id. */
  upsertWorkers(workers: readonly Worker[]): void {
    const statement = this.prepare(
      `INSERT OR REPLACE INTO workers (id, model, provider, pricing, scaffold, environment, persona)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    this.transaction(() => {
      for (const worker of workers) {
        statement.run(
          worker.id,
          worker.model,
          worker.provider,
          JSON.stringify(worker.pricing),
          JSON.stringify(worker.scaffold),
          JSON.stringify(worker.environment),
          worker.persona ?? null,
        );
      }
    });
  }

  /** Workers by id (all when `ids` is omitted), in id order. */
  getWorkers(ids?: readonly string[]): Worker[] {
    const rows = this.prepare('SELECT * FROM workers ORDER BY id').all() as SqlRow[];
    const wanted = ids ? new Set(ids) : undefined;
    return rows.filter((row) => !wanted || wanted.has(String(row.id))).map(workerFromRow);
  }

  /** Status of a job in the ledger, undefined when it never started. */
  jobStatus(key: string): JobStatus | undefined {
    const row = this.prepare('SELECT status FROM jobs WHERE key = ?').get(key) as { status: JobStatus } | undefined;
    return row?.status;
  }

  /**
   * Records that paid work is about to start (before any money is spent); counts the try. A new
   * try's payload replaces the old one: it carries the earlier tries' money (the ledger's
   * `carriedUsd`), so the row's cost is cleared until the try ends, else that money would count
   * twice, and a try killed after an earlier failed one would lose it.
   */
  startJob(input: { key: string; runId: string; kind: string; payload?: unknown }): void {
    this.prepare(
        `INSERT INTO jobs (key, run_id, kind, status, payload, tries, started_at) VALUES (?, ?, ?, 'started', ?, 1, ?)
         ON CONFLICT (key) DO UPDATE SET status = 'started', tries = tries + 1, started_at = excluded.started_at,
           ended_at = NULL, error = NULL,
           payload = COALESCE(excluded.payload, jobs.payload),
           cost_usd = CASE WHEN excluded.payload IS NULL THEN jobs.cost_usd ELSE NULL END`,
      )
      .run(input.key, input.runId, input.kind, json(input.payload), this.now());
  }

  /** Records how paid work ended. */
  finishJob(input: { key: string; status: 'done' | 'failed'; costUsd?: number; error?: string; result?: unknown }): void {
    this.prepare('UPDATE jobs SET status = ?, cost_usd = ?, error = ?, result = ?, ended_at = ? WHERE key = ?')
      .run(input.status, input.costUsd ?? null, input.error ?? null, json(input.result), this.now(), input.key);
  }

  /** Keys of a run's finished jobs (a resumed run skips these). */
  doneJobKeys(runId: string): Set<string> {
    const rows = this.prepare("SELECT key FROM jobs WHERE run_id = ? AND status = 'done'").all(runId) as {
      key: string;
    }[];
    return new Set(rows.map((row) => row.key));
  }

  /** Total recorded cost of a run's jobs in USD (done and failed). */
  jobSpendUsd(runId: string): number {
    const row = this.prepare('SELECT COALESCE(SUM(cost_usd), 0) AS total FROM jobs WHERE run_id = ?').get(runId) as {
      total: number;
    };
    return row.total;
  }

  /** Writes a forecast; the same job key replaces, never duplicates. */
  putForecast(input: {
    runId: string;
    jobKey: string;
    forecast: Forecast;
    inputTokens?: number;
    outputTokens?: number;
    cachedTokens?: number;
    costUsd?: number;
    request?: unknown;
    response?: unknown;
  }): void {
    const f = input.forecast;
    this.prepare(
        `INSERT OR REPLACE INTO forecasts (job_key, run_id, task_id, worker_id, treatment, repeat, p_success,
           expected_tokens, ask, valid, invalid_reason, raw_text, rationale, input_tokens, output_tokens,
           cached_tokens, cost_usd, request, response, created_at, menu)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.jobKey,
        input.runId,
        f.taskId,
        f.workerId,
        f.treatment,
        f.repeat,
        f.pSuccess,
        f.expectedTokens,
        f.ask,
        f.valid ? 1 : 0,
        f.invalidReason,
        f.rawText,
        f.rationale,
        input.inputTokens ?? null,
        input.outputTokens ?? null,
        input.cachedTokens ?? null,
        input.costUsd ?? null,
        json(input.request),
        json(input.response),
        this.now(),
        f.menu ? JSON.stringify(f.menu) : null,
      );
  }

  /** Forecasts, optionally of one run and one treatment. */
  getForecasts(filter: { runId?: string; treatment?: string } = {}): (Forecast & { runId: string; jobKey: string })[] {
    const rows = this.prepare(
        `SELECT * FROM forecasts WHERE (@runId IS NULL OR run_id = @runId)
           AND (@treatment IS NULL OR treatment = @treatment) ORDER BY run_id, task_id, worker_id, treatment, repeat`,
      )
      .all({ runId: filter.runId ?? null, treatment: filter.treatment ?? null }) as SqlRow[];
    return rows.map(forecastFromRow);
  }

  /** Writes an attempt; the same job key replaces, never duplicates. */
  putAttempt(input: { runId: string; jobKey: string; attempt: Attempt; trajectory?: unknown }): void {
    const { attempt } = input;
    const o = attempt.outcome;
    this.prepare(
        `INSERT OR REPLACE INTO attempts (job_key, run_id, task_id, worker_id, round, resolved, input_tokens,
           output_tokens, cached_tokens, cost_usd, wall_time_ms, trajectory_ref, exit_reason, trajectory, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.jobKey,
        input.runId,
        attempt.taskId,
        attempt.workerId,
        attempt.round,
        o.resolved ? 1 : 0,
        o.inputTokens,
        o.outputTokens,
        o.cachedTokens,
        o.costUsd,
        o.wallTimeMs,
        o.trajectoryRef,
        o.exitReason,
        json(input.trajectory),
        this.now(),
      );
  }

  /** Attempts, optionally of one run. */
  getAttempts(filter: { runId?: string } = {}): (Attempt & { runId: string; jobKey: string })[] {
    const rows = this.prepare('SELECT * FROM attempts WHERE (@runId IS NULL OR run_id = @runId) ORDER BY run_id, task_id, round, worker_id')
      .all({ runId: filter.runId ?? null }) as SqlRow[];
    return rows.map(attemptFromRow);
  }

  /**
   * Every attempt of the runs other than `excludeRunId`, oldest first (insertion order breaks ties):
   * the history a market reads before it starts.
   */
  attemptHistory(options: { excludeRunId: string }): { runId: string; taskId: string; workerId: string; resolved: boolean; tokens: number; costUsd: number; createdAt: string }[] {
    const rows = this.prepare(
      `SELECT run_id, task_id, worker_id, resolved, input_tokens, output_tokens, cost_usd, created_at
       FROM attempts WHERE run_id != ? ORDER BY created_at, rowid`,
    ).all(options.excludeRunId) as SqlRow[];
    return rows.map((row) => ({
      runId: String(row.run_id),
      taskId: String(row.task_id),
      workerId: String(row.worker_id),
      resolved: Number(row.resolved) === 1,
      tokens: Number(row.input_tokens) + Number(row.output_tokens),
      costUsd: Number(row.cost_usd),
      createdAt: String(row.created_at),
    }));
  }

  /** The attempt stored under a job key, if any. */
  getAttemptByJobKey(jobKey: string): (Attempt & { runId: string; jobKey: string }) | undefined {
    const row = this.prepare('SELECT * FROM attempts WHERE job_key = ?').get(jobKey) as SqlRow | undefined;
    return row ? attemptFromRow(row) : undefined;
  }

  /** The stored trajectory (parsed JSON, unvalidated) of each attempt of a run, by job key; attempts without one are absent. */
  attemptTrajectories(runId: string): Map<string, unknown> {
    const rows = this.prepare('SELECT job_key, trajectory FROM attempts WHERE run_id = ? AND trajectory IS NOT NULL').all(runId) as { job_key: string; trajectory: string }[];
    return new Map(rows.map((row) => [row.job_key, JSON.parse(row.trajectory) as unknown]));
  }

  /** Writes an allocation, unique by (run, task, mechanism, round). */
  putAllocation(input: { runId: string; allocation: Allocation }): void {
    const a = input.allocation;
    this.prepare(
        `INSERT OR REPLACE INTO allocations (run_id, task_id, mechanism, round, worker_ids, payments, detail, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        input.runId,
        a.taskId,
        a.mechanism,
        a.round,
        JSON.stringify(a.workerIds),
        JSON.stringify(a.payments),
        JSON.stringify(a.detail),
        this.now(),
      );
  }

  /** Allocations, optionally of one run and one mechanism. */
  getAllocations(filter: { runId?: string; mechanism?: string } = {}): (Allocation & { runId: string })[] {
    const rows = this.prepare(
        `SELECT * FROM allocations WHERE (@runId IS NULL OR run_id = @runId)
           AND (@mechanism IS NULL OR mechanism = @mechanism) ORDER BY run_id, mechanism, task_id, round`,
      )
      .all({ runId: filter.runId ?? null, mechanism: filter.mechanism ?? null }) as SqlRow[];
    return rows.map((row) => ({
      runId: String(row.run_id),
      taskId: String(row.task_id),
      mechanism: String(row.mechanism),
      round: Number(row.round),
      workerIds: parseJson<string[]>(row.worker_ids),
      payments: parseJson<Allocation['payments']>(row.payments),
      detail: parseJson<Record<string, unknown>>(row.detail),
    }));
  }

  /** Appends an event to the run's log. */
  appendEvent(input: { runId?: string; type: string; data?: unknown }): void {
    this.prepare('INSERT INTO events (run_id, type, data, created_at) VALUES (?, ?, ?, ?)')
      .run(input.runId ?? null, input.type, json(input.data), this.now());
  }

  /** Valid forecasts joined with outcomes (see `labeledForecasts` in joins.ts). */
  labeledForecasts(filter: { runId?: string; treatment?: string } = {}): LabeledForecast[] {
    return labeledForecasts(this, filter);
  }

  /** The task × worker matrix replay reads (see `storeMatrix` in joins.ts). */
  matrix(filter: { runId?: string; treatment?: string } = {}): Matrix {
    return storeMatrix(this, filter);
  }

  /** One job of the ledger by key (status, payload, recorded cost, tries); undefined when it never started. */
  getJob(key: string): StoredJob | undefined {
    const row = this.prepare('SELECT * FROM jobs WHERE key = ?').get(key) as SqlRow | undefined;
    return row ? jobFromRow(row) : undefined;
  }

  /** A run's jobs, optionally of one status, in key order. */
  listJobs(filter: { runId: string; status?: JobStatus }): StoredJob[] {
    const rows = this.prepare('SELECT * FROM jobs WHERE run_id = @runId AND (@status IS NULL OR status = @status) ORDER BY key')
      .all({ runId: filter.runId, status: filter.status ?? null }) as SqlRow[];
    return rows.map(jobFromRow);
  }

  /** A cached model response (runtime/providers response cache); undefined on a miss. */
  getCachedResponse(key: string): { model: string; params: unknown; response: unknown; createdAt: string } | undefined {
    const row = this.prepare('SELECT * FROM cache WHERE key = ?').get(key) as SqlRow | undefined;
    if (!row) return undefined;
    return {
      model: String(row.model),
      params: parseJson<unknown>(row.params),
      response: parseJson<unknown>(row.response),
      createdAt: String(row.created_at),
    };
  }

  /** Caches a successful model response under its key (the same key replaces). Never called for errors. */
  putCachedResponse(input: { key: string; model: string; params: unknown; response: unknown }): void {
    this.prepare('INSERT OR REPLACE INTO cache (key, model, params, response, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(input.key, input.model, JSON.stringify(input.params ?? {}), JSON.stringify(input.response), this.now());
  }
}
