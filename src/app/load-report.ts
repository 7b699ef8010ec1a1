import { type StoredMarket, storedMarketComparison } from '../runtime/market/stored-comparison.js';
import { withStore } from './with-store.js';

export { loadReportInput } from '../report/load-report-input.js';

/** A market run's matched comparison rebuilt from a store file, without calling anything. */
export function loadMarketComparison(options: { db: string; runId: string; cwd?: string }): Promise<StoredMarket> {
  return withStore(options, (store) => storedMarketComparison(store, options.runId));
}
