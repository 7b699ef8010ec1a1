import type { Attempt } from '../../core/attempt.js';
import type { Forecast } from '../../core/forecast.js';
import type { LabeledForecast } from '../../core/labeled-forecast.js';
import { cellKey, type Matrix, type MatrixCell } from '../../core/matrix.js';
import { blendedPrice } from '../../core/pricing.js';
import type { Task } from '../../core/task.js';
import { bountyUsd, type MarketSettings, MarketSettingsSchema, marketToUsd } from '../../market/settings.js';
import type { Store } from './store.js';

type StoredAttempt = Attempt & { runId: string };

/**
 * Actual tokens of an attempt, or null when unknown. Every real attempt calls a model, so zero
 * recorded tokens means the count was not recorded (outcomes imported from a leaderboard or a
 * harness report carry only the cost); analyses then use cost / blended price (DESIGN.md §5).
 */
export function knownTokens(outcome: Attempt['outcome']): number | null {
  const total = outcome.inputTokens + outcome.outputTokens;
  return total > 0 ? total : null;
}

/**
 * The attempt that labels a forecast: the same worker on the same task, preferring the
 * forecast's own run, then the lowest round, then the latest run.
 */
function attemptIndex(attempts: readonly StoredAttempt[]): (runId: string, taskId: string, workerId: string) => StoredAttempt | undefined {
  const byCell = new Map<string, StoredAttempt[]>();
  for (const attempt of attempts) {
    const key = cellKey(attempt.taskId, attempt.workerId);
    const list = byCell.get(key) ?? [];
    list.push(attempt);
    byCell.set(key, list);
  }
  return (runId, taskId, workerId) => {
    const list = byCell.get(cellKey(taskId, workerId));
    if (!list) return undefined;
    const own = list.filter((attempt) => attempt.runId === runId);
    const pool = own.length > 0 ? own : list;
    return pool.reduce((best, attempt) => (attempt.round < best.round ? attempt : best));
  };
}

/**
 * The store's attempts without those run under a production plan's caps (their job payload names
 * `caps`): a capped attempt answers "could it within this budget", not the single-point question a
 * forecast asks, so it labels no forecast and fills no matrix cell.
 */
function uncappedAttempts(store: Store, filter: { runId?: string } = {}): StoredAttempt[] {
  const capped = new Set(
    (store.prepare("SELECT key FROM jobs WHERE kind = 'attempt' AND json_extract(payload, '$.job.caps') IS NOT NULL").all() as { key: string }[]).map((row) => row.key),
  );
  const attempts = store.getAttempts(filter.runId === undefined ? {} : { runId: filter.runId });
  return capped.size === 0 ? attempts : attempts.filter((attempt) => !capped.has(attempt.jobKey));
}

/** Group fields of a task for `--group-by`. */
function taskGroups(task: Task | undefined, treatment: string): Record<string, string> {
  const groups: Record<string, string> = { treatment };
  if (task?.repo) groups.repo = task.repo;
  if (task?.suite) groups.suite = task.suite;
  return groups;
}

/**
 * Valid forecasts joined with the same worker's attempt on the same task (see `attemptIndex`);
 * forecasts without an attempt are left out, since they cannot be scored.
 */
export function labeledForecasts(store: Store, filter: { runId?: string; treatment?: string } = {}): LabeledForecast[] {
  const tasks = new Map(store.getTasks().map((task) => [task.id, task]));
  const prices = new Map(store.getWorkers().map((worker) => [worker.id, blendedPrice(worker.pricing)]));
  const findAttempt = attemptIndex(uncappedAttempts(store));
  const rows: LabeledForecast[] = [];
  for (const forecast of store.getForecasts(filter)) {
    if (!forecast.valid || forecast.pSuccess === null) continue;
    const attempt = findAttempt(forecast.runId, forecast.taskId, forecast.workerId);
    if (!attempt) continue;
    const { outcome } = attempt;
    rows.push({
      taskId: forecast.taskId,
      workerId: forecast.workerId,
      treatment: forecast.treatment,
      p: forecast.pSuccess,
      expectedTokens: forecast.expectedTokens,
      y: outcome.resolved ? 1 : 0,
      tokens: knownTokens(outcome),
      costUsd: outcome.costUsd,
      blendedPrice: prices.get(forecast.workerId) ?? null,
      groups: taskGroups(tasks.get(forecast.taskId), forecast.treatment),
    });
  }
  return rows;
}

/**
 * Pre-attempt features of a task that a principal may use. Anything derived from the reference
 * solution (`gold_*` / `gold*` names, e.g. `gold_patch_files`) is dropped: a principal cannot know
 * it before an attempt.
 */
export function publicTaskFeatures(task: Task): Record<string, number | string> {
  const features: Record<string, number | string> = {
    repo: task.repo ?? task.suite,
    statementLength: task.statement.length,
    failToPassTests: task.tests.failToPass.length,
    passToPassTests: task.tests.passToPass.length,
  };
  for (const [name, value] of Object.entries(task.features)) {
    if (!/^gold/i.test(name)) features[name] = value;
  }
  return features;
}

/**
 * Which forecast of a cell the matrix takes: a single-point one before a menu's (a `plans` row's p
 * is its largest budget's, another question), then the first repeat.
 */
function forecastRank(forecast: Pick<Forecast, 'treatment' | 'repeat'>): number {
  return (forecast.treatment === 'plans' ? 1e6 : 0) + forecast.repeat;
}

/**
 * The currency settings of every market run, by run id. A market bid's ask is in the market's
 * currency (credits by default) while replay works in USD, so the matrix converts it. A run whose
 * stored settings cannot be read counts as the defaults (credits at the default rate).
 */
function marketCurrencies(store: Store): Map<string, MarketSettings> {
  const currencies = new Map<string, MarketSettings>();
  for (const run of store.listRuns()) {
    if (run.kind !== 'market') continue;
    const parsed = MarketSettingsSchema.safeParse((run.config as { settings?: unknown }).settings ?? {});
    currencies.set(run.id, parsed.success ? parsed.data : MarketSettingsSchema.parse({}));
  }
  return currencies;
}

/**
 * The value V of a solved task the store's market runs (or the one named) used, their bounty in
 * USD, when they agree on one; undefined when the store has no market run or they disagree. A
 * replay of a market's attempts at another V would not compare with its live arms.
 */
export function marketValueUsd(store: Store, filter: { runId?: string } = {}): { valueUsd: number; runIds: string[] } | undefined {
  const markets = [...marketCurrencies(store)].filter(([runId]) => filter.runId === undefined || runId === filter.runId);
  const values = new Set(markets.map(([, settings]) => bountyUsd(settings)));
  const [valueUsd] = values;
  return values.size === 1 && valueUsd !== undefined ? { valueUsd, runIds: markets.map(([runId]) => runId) } : undefined;
}

/** The line that says a replay took V from the store's market runs. */
export function marketValueNote(market: { valueUsd: number; runIds: readonly string[] }): string {
  return `V = $${market.valueUsd}, the bounty in USD of market run ${market.runIds.join(', ')}, as its live arms were valued (--value replays at another V)`;
}

/** Which part of the store's task × worker cells a matrix keeps (replay needs an attempt in every cell). */
export interface MatrixCoverage {
  /** Tasks with at least one attempt. */
  allTasks: number;
  /** Workers with at least one attempt. */
  allWorkers: number;
  /** Workers left out, each with the number of tasks it attempted (fewest first). */
  leftOutWorkers: { workerId: string; tasks: number }[];
  /** Tasks left out because a kept worker has no attempt on them. */
  leftOutTasks: number;
}

/**
 * The largest block of tasks × workers with an attempt in every cell, found by leaving out the
 * worker with the fewest attempts while that keeps more cells. A store whose attempts fill every
 * cell (an `attempt` run, a leaderboard import) keeps everything; a market store, where a worker
 * attempts only what an arm gave it, keeps the workers that attempted every task (a solo arm's)
 * instead of the few tasks every worker happened to attempt (those a first winner failed, which
 * would bias the replay towards hard tasks). Blocks of two or more workers win over one worker.
 */
export function completeBlock(attempted: ReadonlyMap<string, ReadonlySet<string>>): { workerIds: string[]; taskIds: string[] } {
  const allTasks = [...new Set([...attempted.values()].flatMap((tasks) => [...tasks]))].sort();
  let workers = [...attempted.keys()].sort();
  const tasksOf = (kept: readonly string[]) => allTasks.filter((taskId) => kept.every((workerId) => attempted.get(workerId)?.has(taskId)));
  const first = { workerIds: workers, taskIds: tasksOf(workers) };
  let best: { workerIds: string[]; taskIds: string[] } | undefined = first.workerIds.length >= 2 && first.taskIds.length > 0 ? first : undefined;
  while (workers.length > 2) {
    const fewest = [...workers].sort((a, b) => (attempted.get(a)?.size ?? 0) - (attempted.get(b)?.size ?? 0) || a.localeCompare(b))[0];
    workers = workers.filter((workerId) => workerId !== fewest);
    const taskIds = tasksOf(workers);
    if (!best || workers.length * taskIds.length > best.workerIds.length * best.taskIds.length) best = { workerIds: workers, taskIds };
  }
  return best ?? first;
}

/**
 * The task × worker matrix of a run (or of every run) and what of the store it covers: each cell
 * holds the worker's forecast of the chosen treatment (first repeat) and its first-round attempt.
 * Replay needs every cell, so the matrix is the largest block with an attempt in every cell
 * (`completeBlock`); what was left out is counted in `coverage`.
 */
export function storeMatrixWithCoverage(store: Store, filter: { runId?: string; treatment?: string } = {}): { matrix: Matrix; coverage: MatrixCoverage } {
  const attempts = uncappedAttempts(store, filter);
  const forecasts = new Map<string, Forecast & { runId: string }>();
  for (const forecast of store.getForecasts(filter)) {
    const key = cellKey(forecast.taskId, forecast.workerId);
    const seen = forecasts.get(key);
    if (forecast.valid && (!seen || forecastRank(forecast) < forecastRank(seen))) forecasts.set(key, forecast);
  }
  const currencies = marketCurrencies(store);
  const askUsd = (forecast: (Forecast & { runId: string }) | undefined): number | null => {
    if (forecast?.ask === undefined || forecast.ask === null) return null;
    const settings = currencies.get(forecast.runId);
    return settings ? marketToUsd(forecast.ask, settings) : forecast.ask;
  };
  const firstAttempt = new Map<string, StoredAttempt>();
  const attempted = new Map<string, Set<string>>();
  for (const attempt of attempts) {
    const key = cellKey(attempt.taskId, attempt.workerId);
    const seen = firstAttempt.get(key);
    if (!seen || attempt.round < seen.round) firstAttempt.set(key, attempt);
    attempted.set(attempt.workerId, (attempted.get(attempt.workerId) ?? new Set()).add(attempt.taskId));
  }
  const { workerIds, taskIds } = completeBlock(attempted);
  const allTasks = new Set(attempts.map((attempt) => attempt.taskId)).size;
  const coverage: MatrixCoverage = {
    allTasks,
    allWorkers: attempted.size,
    leftOutWorkers: [...attempted.keys()]
      .filter((workerId) => !workerIds.includes(workerId))
      .map((workerId) => ({ workerId, tasks: attempted.get(workerId)?.size ?? 0 }))
      .sort((a, b) => a.tasks - b.tasks || a.workerId.localeCompare(b.workerId)),
    leftOutTasks: allTasks - taskIds.length,
  };
  const cells = new Map<string, MatrixCell>();
  for (const taskId of taskIds) {
    for (const workerId of workerIds) {
      const key = cellKey(taskId, workerId);
      const attempt = firstAttempt.get(key) as StoredAttempt;
      const forecast = forecasts.get(key);
      cells.set(key, {
        taskId,
        workerId,
        p: forecast?.pSuccess ?? null,
        expectedTokens: forecast?.expectedTokens ?? null,
        ask: askUsd(forecast),
        resolved: attempt.outcome.resolved,
        costUsd: attempt.outcome.costUsd,
        tokens: knownTokens(attempt.outcome),
      });
    }
  }
  const workers = new Map(store.getWorkers(workerIds).map((worker) => [worker.id, worker]));
  const blended: Record<string, number> = {};
  for (const workerId of workerIds) {
    const worker = workers.get(workerId);
    blended[workerId] = worker ? blendedPrice(worker.pricing) : 0;
  }
  const taskFeatures: Matrix['taskFeatures'] = {};
  for (const task of store.getTasks(taskIds)) taskFeatures[task.id] = publicTaskFeatures(task);
  return { matrix: { taskIds, workerIds, cells, blendedPrice: blended, taskFeatures }, coverage };
}

/** The task × worker matrix of a run (or of every run); see `storeMatrixWithCoverage`. */
export function storeMatrix(store: Store, filter: { runId?: string; treatment?: string } = {}): Matrix {
  return storeMatrixWithCoverage(store, filter).matrix;
}

/**
 * One line saying what a store matrix left out, or undefined when it kept every task and worker
 * with an attempt: which workers (with the tasks they attempted) and how many tasks.
 */
export function coverageNote(coverage: MatrixCoverage, kept: Pick<Matrix, 'taskIds' | 'workerIds'>): string | undefined {
  if (coverage.leftOutWorkers.length === 0 && coverage.leftOutTasks === 0) return undefined;
  const workers = coverage.leftOutWorkers.map((worker) => `${worker.workerId} (attempted ${worker.tasks} of ${coverage.allTasks} tasks)`);
  const parts = [...(workers.length > 0 ? [`left out ${workers.join(', ')}`] : []), ...(coverage.leftOutTasks > 0 ? [`${coverage.leftOutTasks} tasks a kept worker did not attempt`] : [])];
  return `the store's attempts do not fill every task × worker cell (a market attempts only what its arms assign), so the replay uses the largest block with an attempt in every cell: ${kept.taskIds.length} of ${coverage.allTasks} tasks × ${kept.workerIds.length} of ${coverage.allWorkers} workers; ${parts.join('; ')}`;
}
