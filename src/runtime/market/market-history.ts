import { publicTaskFeatures } from '../store/joins.js';
import type { Store } from '../store/store.js';
import type { RecentRecord } from '../../market/bid-reply.js';
import type { History, HistoryCell, TaskView } from '../../mechanisms/index.js';

/** One earlier attempt of a worker (from another run of the store) with its forecast, if any. */
export interface HistoryRow extends HistoryCell {
  /** The run it came from. */
  runId: string;
  /** When it was stored (ISO-8601), for "recent". */
  createdAt: string;
}

/** What the market knows before it starts: every attempt of the store's OTHER runs. */
export interface MarketHistory {
  /** Rows in storage order. */
  rows: readonly HistoryRow[];
  /** Mechanism history without the given task's rows (cross-fitting: a task never informs its own allocation). */
  forTask(input: { taskId: string; workerIds: readonly string[]; blendedPrice: Record<string, number> }): History;
  /** Mean tokens of the worker's last `window` attempts on other tasks; undefined when it has none. */
  recent(input: { workerId: string; taskId: string; window: number }): RecentRecord | undefined;
}

const TREATMENT_PREFERENCE = ['bid', 'direct', 'card'];

/**
 * The market's history: attempts of every run except `excludeRunId`, each joined with the same
 * worker's forecast of the same task in the same run (the `bid` treatment first, then `direct`,
 * then `card`; lowest repeat). It is read once when the run starts, so every arm and every task
 * sees the same history whatever the concurrency, and a resumed run sees what the first session saw
 * (as long as no other run was added in between). Worker ids are matched as they are.
 */
export function loadMarketHistory(store: Store, options: { excludeRunId: string }): MarketHistory {
  const forecasts = new Map<string, { rank: number; repeat: number; p: number | null; expectedTokens: number | null }>();
  for (const forecast of store.getForecasts()) {
    if (forecast.runId === options.excludeRunId || !forecast.valid) continue;
    const key = `${forecast.runId}\u0000${forecast.taskId}\u0000${forecast.workerId}`;
    const rank = TREATMENT_PREFERENCE.indexOf(forecast.treatment);
    const seen = forecasts.get(key);
    if (!seen || rank < seen.rank || (rank === seen.rank && forecast.repeat < seen.repeat)) {
      forecasts.set(key, { rank, repeat: forecast.repeat, p: forecast.pSuccess, expectedTokens: forecast.expectedTokens });
    }
  }
  const rows: HistoryRow[] = store.attemptHistory({ excludeRunId: options.excludeRunId }).map((row) => {
    const forecast = forecasts.get(`${row.runId}\u0000${row.taskId}\u0000${row.workerId}`);
    return { ...row, p: forecast?.p ?? null, expectedTokens: forecast?.expectedTokens ?? null };
  });
  const tasks = new Map(store.getTasks([...new Set(rows.map((row) => row.taskId))]).map((task) => [task.id, task]));
  return {
    rows,
    forTask: ({ taskId, workerIds, blendedPrice }) => {
      const own = new Set(workerIds);
      const cells = rows.filter((row) => row.taskId !== taskId && own.has(row.workerId));
      const taskIds = [...new Set(cells.map((cell) => cell.taskId))];
      const views: TaskView[] = taskIds.map((id) => {
        const task = tasks.get(id);
        return { taskId: id, features: task ? publicTaskFeatures(task) : {} };
      });
      return {
        workerIds: [...workerIds],
        tasks: views,
        cells: cells.map(({ taskId: cellTask, workerId, resolved, costUsd, tokens, p, expectedTokens }) => ({
          taskId: cellTask,
          workerId,
          resolved,
          costUsd,
          tokens,
          p,
          expectedTokens,
        })),
        blendedPrice: { ...blendedPrice },
      };
    },
    recent: ({ workerId, taskId, window }) => {
      const own = rows.filter((row) => row.workerId === workerId && row.taskId !== taskId).slice(-window);
      if (own.length === 0) return undefined;
      return { attempts: own.length, meanTokens: own.reduce((sum, row) => sum + row.tokens, 0) / own.length };
    },
  };
}
