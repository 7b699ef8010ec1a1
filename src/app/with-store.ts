import { resolve } from 'node:path';
import { Store } from '../runtime/store/index.js';

/** Opens the store file (relative to `cwd`), runs `use`, and closes the store whatever happens. */
export async function withStore<T>(input: { db: string; cwd?: string | undefined }, use: (store: Store) => Promise<T> | T): Promise<T> {
  const store = Store.open(resolve(input.cwd ?? process.cwd(), input.db));
  try {
    return await use(store);
  } finally {
    store.close();
  }
}
