import { type ImportOutcomesOptions, type ImportOutcomesResult, importOutcomes as importIntoStore, readOutcomes } from '../runtime/data/outcomes-import.js';
import { withStore } from './with-store.js';

/** Options of `importOutcomes`: those of the store import, with the store given as a file. */
export interface ImportOutcomesAppOptions extends Omit<ImportOutcomesOptions, 'store'> {
  /** The store file (created if missing). */
  db: string;
  /** Folder the store path is relative to (default: the current folder). */
  cwd?: string;
}

/** Imports an external evaluation's outcomes as attempts (run kind `import`) into a store file; a bad file creates no store. */
export async function importOutcomes(options: ImportOutcomesAppOptions): Promise<ImportOutcomesResult> {
  const { db, cwd, ...rest } = options;
  const read = readOutcomes(rest);
  return withStore({ db, cwd }, (store) => importIntoStore({ ...rest, store, read }));
}
