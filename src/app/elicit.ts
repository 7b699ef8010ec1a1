import type { ElicitOptions, ElicitResult } from '../runtime/elicit/run-elicitation.js';
import { withStore } from './with-store.js';

/** Options of `elicit`: those of `runElicitation`, with the store given as a file. */
export interface ElicitAppOptions extends Omit<ElicitOptions, 'store'> {
  /** The store file (created if missing). */
  db: string;
  /** Folder the store path is relative to (default: the current folder). */
  cwd?: string;
}

/** Forecast elicitation as a library call: opens the store, runs `runElicitation`, closes the store. */
export async function elicit(options: ElicitAppOptions): Promise<ElicitResult> {
  const { db, cwd, ...rest } = options;
  // Loaded on use: the provider SDKs are the slowest import.
  const { runElicitation } = await import('../runtime/elicit/run-elicitation.js');
  return withStore({ db, cwd }, (store) => runElicitation({ ...rest, store }));
}
