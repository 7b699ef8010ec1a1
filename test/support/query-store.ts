import { Store } from '../../src/runtime/store/index.js';

/** Runs one SQL query against a store file (opened and closed around it) and returns its rows. */
export function queryStore(file: string, sql: string): unknown[] {
  const store = Store.open(file);
  try {
    return store.db.prepare(sql).all();
  } finally {
    store.close();
  }
}
