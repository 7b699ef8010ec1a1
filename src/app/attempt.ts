import type { RunAttemptsOptions, RunAttemptsResult } from '../runtime/scaffold/run-attempts.js';
import { withStore } from './with-store.js';

/** Options of `attempt`: those of `runAttempts`, with the store given as a file. */
export interface AttemptAppOptions extends Omit<RunAttemptsOptions, 'store'> {
  /** The store file (created if missing). */
  db: string;
  /** Folder the store path is relative to (default: the current folder). */
  cwd?: string;
}

/** Attempts as a library call: opens the store, runs every (task, worker) attempt (`runAttempts`), closes the store. */
export async function attempt(options: AttemptAppOptions): Promise<RunAttemptsResult> {
  const { db, cwd, ...rest } = options;
  // Loaded on use: the provider SDKs are the slowest import.
  const { runAttempts } = await import('../runtime/scaffold/run-attempts.js');
  return withStore({ db, cwd }, (store) => runAttempts({ ...rest, store }));
}
