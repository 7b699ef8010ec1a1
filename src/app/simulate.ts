import type { SimulateRunOptions, SimulateRunResult } from './simulate-run.js';
import { simulateRun } from './simulate-run.js';
import { withStore } from './with-store.js';

/** Options of `simulate`: those of `simulateRun`, with the store given as a file. */
export interface SimulateOptions extends Omit<SimulateRunOptions, 'store'> {
  /** The store file (created if missing). */
  db: string;
  /** Folder the store path is relative to (default: the current folder). */
  cwd?: string;
}

/** What `simulate` returns: the stored run and its aggregates, and the store file written. */
export interface SimulateResult extends SimulateRunResult {
  /** The store file, as opened. */
  dbFile: string;
}

/** Simulates a built-in population into a store file as a `simulate` run (`simulateRun` around an opened store). */
export function simulate(options: SimulateOptions): Promise<SimulateResult> {
  const { db, cwd, ...rest } = options;
  return withStore({ db, cwd }, (store) => ({ ...simulateRun({ ...rest, store }), dbFile: store.file }));
}
