/** One schema step; `version` is the `user_version` after it has run. */
export interface Migration {
  /** Schema version reached by this migration. */
  version: number;
  /** What changed, for `db info`. */
  description: string;
  /** SQL run inside one transaction. */
  sql: string;
}

/**
 * The schema's history. Never edit a released migration: add a new one. Version 1 is the first
 * released schema; version 2 added the job ledger that makes paid work resumable.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'runs, tasks, workers, forecasts, attempts, allocations, events',
    sql: `
      CREATE TABLE runs (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, created_at TEXT NOT NULL, status TEXT NOT NULL,
        seed INTEGER, config TEXT NOT NULL DEFAULT '{}', note TEXT
      );
      CREATE TABLE tasks (
        id TEXT PRIMARY KEY, suite TEXT NOT NULL, title TEXT, repo TEXT, base_commit TEXT,
        statement TEXT NOT NULL, tests TEXT NOT NULL, features TEXT NOT NULL, metadata TEXT NOT NULL
      );
      CREATE TABLE workers (
        id TEXT PRIMARY KEY, model TEXT NOT NULL, provider TEXT NOT NULL, pricing TEXT NOT NULL,
        scaffold TEXT NOT NULL, environment TEXT NOT NULL, persona TEXT
      );
      CREATE TABLE forecasts (
        job_key TEXT PRIMARY KEY, run_id TEXT NOT NULL, task_id TEXT NOT NULL, worker_id TEXT NOT NULL,
        treatment TEXT NOT NULL, repeat INTEGER NOT NULL, p_success REAL, expected_tokens REAL,
        ask REAL, valid INTEGER NOT NULL, invalid_reason TEXT, raw_text TEXT, rationale TEXT,
        input_tokens INTEGER, output_tokens INTEGER, cached_tokens INTEGER, cost_usd REAL,
        request TEXT, response TEXT, created_at TEXT NOT NULL
      );
      CREATE INDEX forecasts_run ON forecasts (run_id, task_id, worker_id);
      CREATE TABLE attempts (
        job_key TEXT PRIMARY KEY, run_id TEXT NOT NULL, task_id TEXT NOT NULL, worker_id TEXT NOT NULL,
        round INTEGER NOT NULL, resolved INTEGER NOT NULL, input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL, cost_usd REAL NOT NULL,
        wall_time_ms REAL NOT NULL, trajectory_ref TEXT, exit_reason TEXT, trajectory TEXT,
        created_at TEXT NOT NULL
      );
      CREATE INDEX attempts_run ON attempts (run_id, task_id, worker_id);
      CREATE TABLE allocations (
        run_id TEXT NOT NULL, task_id TEXT NOT NULL, mechanism TEXT NOT NULL, round INTEGER NOT NULL,
        worker_ids TEXT NOT NULL, payments TEXT NOT NULL, detail TEXT NOT NULL, created_at TEXT NOT NULL,
        PRIMARY KEY (run_id, task_id, mechanism, round)
      );
      CREATE TABLE events (
        id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT, type TEXT NOT NULL, data TEXT,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    description: 'job ledger: paid work keyed by a deterministic job key (started → done/failed)',
    sql: `
      CREATE TABLE jobs (
        key TEXT PRIMARY KEY, run_id TEXT NOT NULL, kind TEXT NOT NULL, status TEXT NOT NULL,
        payload TEXT, result TEXT, cost_usd REAL, error TEXT, tries INTEGER NOT NULL DEFAULT 0,
        started_at TEXT NOT NULL, ended_at TEXT
      );
      CREATE INDEX jobs_run ON jobs (run_id, status);
      INSERT INTO jobs (key, run_id, kind, status, cost_usd, tries, started_at, ended_at)
        SELECT job_key, run_id, 'forecast', 'done', cost_usd, 1, created_at, created_at FROM forecasts;
      INSERT OR IGNORE INTO jobs (key, run_id, kind, status, cost_usd, tries, started_at, ended_at)
        SELECT job_key, run_id, 'attempt', 'done', cost_usd, 1, created_at, created_at FROM attempts;
    `,
  },
  {
    version: 3,
    description: 'response cache: successful model replies keyed by model, prompt hash and parameters',
    sql: `
      CREATE TABLE cache (
        key TEXT PRIMARY KEY, model TEXT NOT NULL, params TEXT NOT NULL, response TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    version: 4,
    description: 'recalibrations: a forecast\'s p passed through its worker\'s calibration map, kept beside the raw p',
    sql: `
      CREATE TABLE recalibrations (
        job_key TEXT PRIMARY KEY, run_id TEXT NOT NULL, worker_id TEXT NOT NULL, p_raw REAL NOT NULL,
        p_recalibrated REAL NOT NULL, map TEXT NOT NULL, created_at TEXT NOT NULL
      );
      CREATE INDEX recalibrations_run ON recalibrations (run_id, worker_id);
    `,
  },
  {
    version: 5,
    description: 'production plans: a forecast\'s stated menu of plans (treatment plans)',
    sql: `
      ALTER TABLE forecasts ADD COLUMN menu TEXT;
    `,
  },
];

/** The schema version this code writes. */
export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** `PRAGMA application_id` of a MarketBench store: ASCII 'MKTB'. */
export const APPLICATION_ID = 0x4d4b5442;
