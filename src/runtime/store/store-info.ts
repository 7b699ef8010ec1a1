import { statSync } from 'node:fs';
import { LATEST_VERSION, MIGRATIONS } from './migrations.js';
import type { Store } from './store.js';
import { TABLES } from './tables.js';

/** A summary of a store for `db info`. */
export interface StoreInfo {
  /** Path of the file. */
  file: string;
  /** Size on disk in bytes (main file only). */
  bytes: number;
  /** Schema version of the file. */
  schemaVersion: number;
  /** Schema version this code writes. */
  latestVersion: number;
  /** Applied migrations. */
  migrations: { version: number; description: string }[];
  /** Row count per table. */
  rowCounts: Record<string, number>;
  /** Runs with their row counts. */
  runs: { id: string; kind: string; status: string; createdAt: string; forecasts: number; attempts: number; spendUsd: number }[];
}

/** Summarizes a store: schema, row counts and runs. */
export function storeInfo(store: Store): StoreInfo {
  const version = store.db.pragma('user_version', { simple: true }) as number;
  const rowCounts: Record<string, number> = {};
  for (const table of TABLES) {
    rowCounts[table.name] = (store.db.prepare(`SELECT COUNT(*) AS n FROM "${table.name}"`).get() as { n: number }).n;
  }
  const count = (table: string, runId: string) =>
    (store.db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE run_id = ?`).get(runId) as { n: number }).n;
  return {
    file: store.file,
    bytes: statSync(store.file).size,
    schemaVersion: version,
    latestVersion: LATEST_VERSION,
    migrations: MIGRATIONS.filter((m) => m.version <= version).map(({ version: v, description }) => ({ version: v, description })),
    rowCounts,
    runs: store.listRuns().map((run) => ({
      id: run.id,
      kind: run.kind,
      status: run.status,
      createdAt: run.createdAt,
      forecasts: count('forecasts', run.id),
      attempts: count('attempts', run.id),
      spendUsd: store.jobSpendUsd(run.id),
    })),
  };
}
