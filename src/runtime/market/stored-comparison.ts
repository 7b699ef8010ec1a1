import { InvalidInputError } from '../../core/errors.js';
import type { Store } from '../store/store.js';
import { compareArms, type MarketComparison } from './market-comparison.js';
import type { UnitResult } from './market-unit.js';
import { doneJobResults } from './paid-step.js';

/** A market run's comparison rebuilt from the store, with what it was run on. */
export interface StoredMarket {
  /** The run id. */
  runId: string;
  /** Arm labels in the order they were given. */
  arms: string[];
  /** Tasks with at least one finished arm, in the order first finished. */
  taskIds: string[];
  /** The roster. */
  workerIds: string[];
  /** The matched comparison, as `marketbench market` printed it. */
  comparison: MarketComparison;
}

/**
 * Rebuilds a market run's matched comparison from its ledger (the finished `market-task` units),
 * without calling anything: what `marketbench report` shows for a market run.
 */
export function storedMarketComparison(store: Store, runId: string): StoredMarket {
  const run = store.getRun(runId);
  if (run?.kind !== 'market') throw new InvalidInputError(`run '${runId}' is not a market run`, { file: store.file });
  const config = run.config as { arms?: string[]; workers?: { id: string }[] };
  const arms = config.arms ?? [];
  const workerIds = (config.workers ?? []).map((worker) => worker.id);
  const units = [...doneJobResults(store, runId, 'market-task').values()] as UnitResult[];
  const taskIds = [...new Set(units.map((unit) => unit.taskId))];
  return { runId, arms, taskIds, workerIds, comparison: compareArms({ arms, taskIds, workerIds, units }) };
}
