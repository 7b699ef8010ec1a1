import { existsSync, rmSync } from 'node:fs';
import { InvalidInputError } from '../../core/errors.js';
import { Store } from './store.js';

/**
 * Opens the store at `path` (creating it if missing), runs `work` on it and closes it. When this
 * call created the file and `work` refuses bad input before any run was recorded (a config error
 * found only once the store is open, such as an unknown arm), the file is removed again: a
 * refused command leaves nothing behind.
 */
export async function withStoreUnlessRefused<T>(input: { path: string; work: (store: Store) => Promise<T> }): Promise<T> {
  const isNew = !existsSync(input.path);
  const store = Store.open(input.path);
  let refused = false;
  try {
    return await input.work(store);
  } catch (error) {
    refused = isNew && InvalidInputError.isInstance(error) && store.listRuns().length === 0;
    throw error;
  } finally {
    store.close();
    if (refused) for (const suffix of ['', '-wal', '-shm', '-journal']) rmSync(`${input.path}${suffix}`, { force: true });
  }
}
